package io.sebs.junit.perf;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.platform.local.LocalPlatform;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.stats.SampleStatistics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What the Python and Node.js wrappers add to a warm invocation: 010.sleep (sleep 0) through {@link FunctionInvoker}
 * against a bare keep-alive HTTP server of the same runtime's standard library hit by the bare blocking socket
 * ({@link BlockingSocketClient}), interleaved after a warm-up. The comparison is like for like: the same request (body,
 * headers, X-Request-Id), keep-alive and TCP_NODELAY on both sides, and the bare server answers a JSON body exactly as
 * long as the wrapper's answer. The ratio {@code <language>_wrapper_over_bare_server} is what the wrapper (parsing, the
 * cold-start marker, timestamps, the function's call and its answer) and the harness cost together over the runtime's
 * own HTTP round trip (issue 16: target &lt;= 1.2). A third call per round, the bare socket on the wrapper's own
 * instance ({@code <language>_wrapper_alone_over_bare_server}), splits that into the wrapper's and the harness's part.
 */
public final class WrapperOverheadFigures {

  /** http.server as a user would write it; argv[1]: the answer body's length. */
  private static final String PYTHON_SERVER = String.join("\n",
      "import http.server, sys",
      "prefix = b'{\"result\": {\"output\": null}, \"padding\": \"'",
      "body = prefix + b'x' * max(0, int(sys.argv[1]) - len(prefix) - 2) + b'\"}'",
      "class H(http.server.BaseHTTPRequestHandler):",
      "    protocol_version = 'HTTP/1.1'",
      "    def do_POST(self):",
      "        self.rfile.read(int(self.headers.get('Content-Length', 0)))",
      "        self.send_response(200)",
      "        self.send_header('Content-Type', 'application/json')",
      "        self.send_header('Content-Length', str(len(body)))",
      "        self.end_headers()",
      "        self.wfile.write(body)",
      "    def log_message(self, *args):",
      "        pass",
      "H.disable_nagle_algorithm = True",
      "s = http.server.HTTPServer(('127.0.0.1', 0), H)",
      "print('LISTENING', s.server_address[1], flush=True)",
      "s.serve_forever()");

  /** http.createServer as a user would write it; argv[1]: the answer body's length. */
  private static final String NODE_SERVER = String.join("\n",
      "const http = require('http');",
      "const prefix = '{\"result\": {\"output\": null}, \"padding\": \"';",
      "const body = Buffer.from(prefix + 'x'.repeat(Math.max(0, Number(process.argv[1]) - prefix.length - 2)) + '\"}');",
      "const server = http.createServer((req, res) => {",
      "  req.resume(); req.on('end', () => {",
      "    res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': body.length}); res.end(body); });",
      "});",
      "server.keepAliveTimeout = 0;",
      "server.on('connection', (s) => s.setNoDelay(true));",
      "server.listen(0, '127.0.0.1', () => console.log('LISTENING', server.address().port));");

  private WrapperOverheadFigures() {}

  /** Alone: {@code [rounds] [warmup]}, default 500 and 2000, on the local platform. */
  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    try (BenchmarkRun run = new BenchmarkRun(io.sebs.junit.config.SebsConfig.fromSystemProperties())) {
      print(run, pairs, warmup);
    }
  }

  static void print(BenchmarkRun run, int rounds, int warmup) throws Exception {
    if (!(run.platform() instanceof LocalPlatform local)) {
      throw new IllegalStateException("the wrapper figures are for the local platform");
    }
    for (String language : List.of("python", "nodejs")) {
      PreparedFunction prepared = run.prepare(run.spec("010.sleep", language, "", "test", 0, 0));
      FunctionInvoker invoker = prepared.invoker();
      Map<String, Object> payload = Map.of("sleep", 0);
      requireOk(invoker.invoke(payload));
      byte[] body = "{\"sleep\":0}".getBytes(StandardCharsets.UTF_8);
      try (BlockingSocketClient direct = new BlockingSocketClient(local.idleEndpoints(prepared.deployed()).get(0))) {
        direct.call(body); // the wrapper's answer length, which the bare server's answer copies
        String length = Integer.toString(direct.lastBodyLength());
        Process bare = language.equals("python") ? new ProcessBuilder("python3", "-c", PYTHON_SERVER, length).start()
            : new ProcessBuilder("node", "-e", NODE_SERVER, length).start();
        try {
          BufferedReader out = new BufferedReader(new InputStreamReader(bare.getInputStream(), StandardCharsets.UTF_8));
          String line = out.readLine();
          if (line == null || !line.startsWith("LISTENING ")) {
            throw new IllegalStateException("the bare " + language + " server did not start: " + line);
          }
          URI endpoint = URI.create("http://127.0.0.1:" + line.substring("LISTENING ".length()).trim() + "/");
          double[] harness = new double[rounds];
          double[] alone = new double[rounds];
          double[] server = new double[rounds];
          double[] function = new double[rounds];
          try (BlockingSocketClient socket = new BlockingSocketClient(endpoint)) {
            socket.call(body);
            if (socket.lastBodyLength() != direct.lastBodyLength()) {
              throw new IllegalStateException("the bare server answers " + socket.lastBodyLength() + " bytes, the "
                  + language + " wrapper " + direct.lastBodyLength());
            }
            for (int i = 0; i < warmup + rounds; i++) {
              double[] round = new double[3];
              for (int k = 0; k < 3; k++) { // each of the three goes first, second and third in turn
                int which = (i + k) % 3;
                round[which] = which == 0 ? wrapper(invoker, payload, function, i - warmup)
                    : which == 1 ? direct.call(body) : socket.call(body);
              }
              if (i >= warmup) {
                harness[i - warmup] = round[0];
                alone[i - warmup] = round[1];
                server[i - warmup] = round[2];
              }
            }
          }
          double h = SampleStatistics.of(harness).median();
          double a = SampleStatistics.of(alone).median();
          double s = SampleStatistics.of(server).median();
          System.out.printf("%s_wrapper_us=%.1f, %s_wrapper_alone_us=%.1f, %s_bare_server_us=%.1f, %s_function_us=%.1f"
                  + " (medians of %d rounds after %d; answers of %s bytes)%n", language, h, language, a, language, s,
              language, SampleStatistics.of(function).median(), rounds, warmup, length);
          System.out.printf("%s_wrapper_over_bare_server=%.3f (target <= 1.2), %s_wrapper_alone_over_bare_server=%.3f%n",
              language, h / s, language, a / s);
        } finally {
          bare.destroy();
          bare.waitFor();
        }
      }
    }
  }

  /** One invocation through the harness; its function time (end - begin) goes to {@code function[at]} if at >= 0. */
  private static double wrapper(FunctionInvoker invoker, Map<String, Object> payload, double[] function, int at) {
    Invocation invocation = requireOk(invoker.invoke(payload));
    if (at >= 0) {
      function[at] = invocation.benchmarkTime().toNanos() / 1000.0;
    }
    return invocation.clientTime().toNanos() / 1000.0;
  }

  private static Invocation requireOk(Invocation invocation) {
    if (invocation.failed()) {
      throw new IllegalStateException("invocation failed: " + invocation);
    }
    return invocation;
  }
}
