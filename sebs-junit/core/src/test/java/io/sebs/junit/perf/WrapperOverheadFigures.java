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
 * against a bare keep-alive HTTP server of the same runtime's standard library (TCP_NODELAY, one fixed JSON answer)
 * hit by the bare blocking socket ({@link BlockingSocketClient}), interleaved in pairs after a warm-up. The ratio
 * {@code <language>_wrapper_over_bare_server} is what the wrapper (parsing, the cold-start marker, timestamps, the
 * hand-off to the function and its answer) and the harness cost together over the runtime's own HTTP round trip
 * (issue 16: target &lt;= 1.2).
 */
public final class WrapperOverheadFigures {

  private static final String PYTHON_SERVER = String.join("\n",
      "import http.server",
      "class H(http.server.BaseHTTPRequestHandler):",
      "    protocol_version = 'HTTP/1.1'",
      "    def do_POST(self):",
      "        self.rfile.read(int(self.headers.get('Content-Length', 0)))",
      "        body = b'{\"result\": {\"output\": null}}'",
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

  private static final String NODE_SERVER = String.join("\n",
      "const http = require('http');",
      "const body = Buffer.from('{\"result\": {\"output\": null}}');",
      "const server = http.createServer((req, res) => {",
      "  req.resume(); req.on('end', () => {",
      "    res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': body.length}); res.end(body); });",
      "});",
      "server.keepAliveTimeout = 0;",
      "server.on('connection', (s) => s.setNoDelay(true));",
      "server.listen(0, '127.0.0.1', () => console.log('LISTENING', server.address().port));");

  private WrapperOverheadFigures() {}

  /** Alone: {@code [pairs] [warmup]}, default 500 and 2000, on the local platform. */
  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    try (BenchmarkRun run = new BenchmarkRun(io.sebs.junit.config.SebsConfig.fromSystemProperties())) {
      print(run, pairs, warmup);
    }
  }

  static void print(BenchmarkRun run, int pairs, int warmup) throws Exception {
    for (String language : List.of("python", "nodejs")) {
      PreparedFunction prepared = run.prepare(run.spec("010.sleep", language, "", "test", 0, 0));
      FunctionInvoker invoker = prepared.invoker();
      Map<String, Object> payload = Map.of("sleep", 0);
      requireOk(invoker.invoke(payload));
      Process bare = language.equals("python") ? new ProcessBuilder("python3", "-c", PYTHON_SERVER).start()
          : new ProcessBuilder("node", "-e", NODE_SERVER).start();
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(bare.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("LISTENING ")) {
          throw new IllegalStateException("the bare " + language + " server did not start: " + line);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + line.substring("LISTENING ".length()).trim() + "/");
        byte[] body = "{\"sleep\":0}".getBytes(StandardCharsets.UTF_8);
        double[] harness = new double[pairs];
        double[] server = new double[pairs];
        try (BlockingSocketClient socket = new BlockingSocketClient(endpoint)) {
          for (int i = 0; i < warmup + pairs; i++) {
            boolean harnessFirst = i % 2 == 0;
            double a = harnessFirst ? wrapper(invoker, payload) : 0;
            double b = socket.call(body);
            if (!harnessFirst) {
              a = wrapper(invoker, payload);
            }
            if (i >= warmup) {
              harness[i - warmup] = a;
              server[i - warmup] = b;
            }
          }
        }
        double h = SampleStatistics.of(harness).median();
        double s = SampleStatistics.of(server).median();
        System.out.printf("%s_wrapper_us=%.1f, %s_bare_server_us=%.1f (medians of %d pairs after %d)%n", language, h,
            language, s, pairs, warmup);
        System.out.printf("%s_wrapper_over_bare_server=%.3f (target <= 1.2)%n", language, h / s);
      } finally {
        bare.destroy();
        bare.waitFor();
      }
      if (!(run.platform() instanceof LocalPlatform)) {
        throw new IllegalStateException("the wrapper figures are for the local platform");
      }
    }
  }

  private static double wrapper(FunctionInvoker invoker, Map<String, Object> payload) {
    return requireOk(invoker.invoke(payload)).clientTime().toNanos() / 1000.0;
  }

  private static Invocation requireOk(Invocation invocation) {
    if (invocation.failed()) {
      throw new IllegalStateException("invocation failed: " + invocation);
    }
    return invocation;
  }
}
