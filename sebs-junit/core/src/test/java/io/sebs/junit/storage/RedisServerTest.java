package io.sebs.junit.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.storage.local.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local Redis server is a real redis-server on loopback that answers the Redis protocol and stops on close. */
class RedisServerTest {

  @Test
  void answersPingOnLoopbackAndStopsWhenClosed() throws Exception {
    RedisServer server = RedisServer.start();
    URI endpoint = server.endpoint();
    assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
    try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\nCONFIG GET save\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).isEqualTo("+PONG");
      // CONFIG GET save -> *2, $4, save, $0, "" : no snapshots
      assertThat(List.of(in.readLine(), in.readLine(), in.readLine(), in.readLine(), in.readLine()))
          .containsExactly("*2", "$4", "save", "$0", "");
    } finally {
      server.close();
    }
    assertThat(ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }
}
