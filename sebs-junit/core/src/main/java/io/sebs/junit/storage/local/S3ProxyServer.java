package io.sebs.junit.storage.local;

import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3-API server (S3Proxy, in memory) on 127.0.0.1 in this JVM: the local platform's object
 * storage. Requests are signed and checked like AWS's, so the AWS SDK clients that serve S3 serve it
 * unchanged.
 */
public final class S3ProxyServer implements AutoCloseable {

  private final S3Proxy proxy;
  private final URI endpoint;

  private S3ProxyServer(S3Proxy proxy, URI endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  public static S3ProxyServer start(String accessKey, String secretKey) {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .ignoreUnknownHeaders(true)
        .build();
    try {
      proxy.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
        }
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting S3Proxy", e);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start the local S3 server (S3Proxy): " + e.getMessage(), e);
    }
    return new S3ProxyServer(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot stop S3Proxy at " + endpoint, e);
    }
  }
}
