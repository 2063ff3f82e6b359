package io.sebs.junit.platform.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sebs.junit.benchmark.Language;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Node.js host's stand-in of the Durable Functions extension ({@code azure_durable_extension.js}) running
 * small apps on the real durable-functions {@value #DURABLE_FUNCTIONS} and {@code @azure/functions} 4.x.
 *
 * <p>Every app has the same HTTP starter, {@code POST /api/sebs_workflow}: it starts {@code sebs_orchestrator}
 * (or the orchestrator the body names) with the body's {@code input} through the durable client binding, polls
 * {@code getStatus} until the instance has ended (terminating it first when the body asks) and answers with that
 * status. Each test writes the orchestrator and the activity {@code sebs_invoke} it needs, and reads the
 * status's runtimeStatus and output.
 */
class AzureDurableHostTest {

  static final String DURABLE_FUNCTIONS = "3.5.0";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String BUNDLE =
      "\"extensionBundle\": {\"id\": \"Microsoft.Azure.Functions.ExtensionBundle\", \"version\": \"[4.*, 5.0.0)\"}";
  private static final String HOST_JSON = "{\"version\": \"2.0\", " + BUNDLE + "}";

  private static final String STARTER = """
      const { app } = require('@azure/functions');
      const df = require('durable-functions');
      const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

      app.http('sebs_workflow', {
        methods: ['POST'],
        authLevel: 'function',
        extraInputs: [df.input.durableClient()],
        handler: async (request, context) => {
          const client = df.getClient(context);
          const body = await request.json();
          const instanceId = await client.startNew(body.orchestrator || 'sebs_orchestrator', { input: body.input });
          let terminated = false;
          for (;;) {
            const status = await client.getStatus(instanceId);
            if (['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus)) {
              return { jsonBody: status };
            }
            if (body.terminateWhenRunning && !terminated && status.runtimeStatus === 'Running') {
              await client.terminate(instanceId, body.terminateWhenRunning);
              terminated = true;
            }
            await sleep(10);
          }
        },
      });
      """;

  private static Path modules;

  @TempDir
  Path work;

  @BeforeAll
  static void installTheSdk() {
    modules = NpmInstall.install("azure-durable-functions-" + DURABLE_FUNCTIONS, Map.of(
        "durable-functions", DURABLE_FUNCTIONS,
        AzurePackage.AZURE_FUNCTIONS_NODE, AzurePackage.AZURE_FUNCTIONS_NODE_VERSION));
  }

  /** Unlinks the shared node_modules, which @TempDir would otherwise warn about. */
  @AfterEach
  void unlinkTheSdk() throws IOException {
    Path link = work.resolve("app").resolve("node_modules");
    if (Files.isSymbolicLink(link)) {
      Files.delete(link);
    }
  }

  @Test
  void aSequenceOfActivitiesPassesEachResultToTheNextAndTheOrchestratorIsReplayedForEachResult() throws Exception {
    Path app = app("""
        let value = context.df.getInput();
        const steps = [];
        for (let i = 0; i < 3; i++) {
          value = yield context.df.callActivity('sebs_invoke', value);
          console.log(`sebs-step ${i} ${context.df.isReplaying ? 'replayed' : 'first'}`);
          steps.push(value);
        }
        return { steps, instanceId: context.df.instanceId };
        """, "async (input) => input + '>' + input.length");
    try (AzureFunctionHost host = start(app)) {
      JsonNode status = workflow(host, "{\"input\": \"a\"}");
      assertEquals("Completed", status.path("runtimeStatus").asText(), status.toString());
      assertEquals(List.of("a>1", "a>1>3", "a>1>3>5"), texts(status.path("output").path("steps")));
      assertEquals(status.path("instanceId").asText(), status.path("output").path("instanceId").asText());
      assertEquals("a", status.path("input").asText());

      String log = Files.readString(host.log(), StandardCharsets.UTF_8);
      // four episodes (start, then one per result), each replaying the whole history: every step runs once
      // for the first time and is replayed in each later episode
      assertEquals(1, count(log, "sebs-step 0 first"), log);
      assertEquals(2, count(log, "sebs-step 0 replayed"), log);
      assertEquals(1, count(log, "sebs-step 1 first"), log);
      assertEquals(1, count(log, "sebs-step 1 replayed"), log);
      assertEquals(1, count(log, "sebs-step 2 first"), log);
      assertEquals(0, count(log, "sebs-step 2 replayed"), log);
    }
  }

  @Test
  void aFanOutOfTwentyActivitiesRunsThemConcurrentlyAndKeepsTheResultsInOrder() throws Exception {
    Path app = app("""
        const tasks = [];
        for (let i = 0; i < 20; i++) {
          tasks.push(context.df.callActivity('sebs_invoke', i));
        }
        return yield context.df.Task.all(tasks);
        """, "async (i) => { await new Promise((resolve) => setTimeout(resolve, 300)); return i * i; }");
    try (AzureFunctionHost host = start(app)) {
      long begin = System.nanoTime();
      JsonNode status = workflow(host, "{}");
      long millis = (System.nanoTime() - begin) / 1_000_000;
      assertEquals("Completed", status.path("runtimeStatus").asText(), status.toString());
      List<Integer> squares = new ArrayList<>();
      status.path("output").forEach(n -> squares.add(n.asInt()));
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        expected.add(i * i);
      }
      assertEquals(expected, squares, "in the order of the tasks, whatever the order they ended in");
      // one after the other they would take 20 x 300 ms; 10 x CPUs run at once
      assertTrue(millis < 3000, "the fan-out took " + millis + " ms");
    }
  }

  @Test
  void maxConcurrentActivityFunctionsOfHostJsonCapsHowManyActivitiesRunAtOnce() throws Exception {
    String hostJson = "{\"version\": \"2.0\", " + BUNDLE
        + ", \"extensions\": {\"durableTask\": {\"hubName\": \"SebsHub\", \"maxConcurrentActivityFunctions\": 2}}}";
    Path app = app(hostJson, """
        const tasks = [1, 2, 3, 4, 5, 6].map((i) => context.df.callActivity('sebs_invoke', i));
        return yield context.df.Task.all(tasks);
        """, """
        async () => {
          running++;
          const seen = running;
          await new Promise((resolve) => setTimeout(resolve, 100));
          running--;
          return seen;
        }""", "let running = 0;");
    try (AzureFunctionHost host = start(app)) {
      long begin = System.nanoTime();
      JsonNode status = workflow(host, "{}");
      long millis = (System.nanoTime() - begin) / 1_000_000;
      assertEquals("Completed", status.path("runtimeStatus").asText(), status.toString());
      int most = 0;
      for (JsonNode seen : status.path("output")) {
        most = Math.max(most, seen.asInt());
      }
      assertEquals(2, most, status.toString());
      assertTrue(millis >= 300, "six activities of 100 ms two at a time took " + millis + " ms");
    }
  }

  @Test
  void aSubOrchestrationReturnsItsOutputToItsParentAlsoWhenMixedWithActivitiesInTaskAll() throws Exception {
    Path app = app("""
        const depth = context.df.getInput();
        if (depth === 0) {
          const leaf = yield context.df.callActivity('sebs_invoke', 'leaf');
          return { instanceId: context.df.instanceId, parentInstanceId: context.df.parentInstanceId, leaf };
        }
        const [before, child, after] = yield context.df.Task.all([
          context.df.callActivity('sebs_invoke', 'before'),
          context.df.callSubOrchestrator('sebs_orchestrator', depth - 1),
          context.df.callActivity('sebs_invoke', 'after'),
        ]);
        return { instanceId: context.df.instanceId, before, child, after };
        """, "async (input) => input.toUpperCase()");
    try (AzureFunctionHost host = start(app)) {
      JsonNode status = workflow(host, "{\"input\": 2}");
      assertEquals("Completed", status.path("runtimeStatus").asText(), status.toString());
      JsonNode top = status.path("output");
      JsonNode middle = top.path("child");
      JsonNode leaf = middle.path("child");
      assertEquals("BEFORE", top.path("before").asText(), top.toString());
      assertEquals("AFTER", top.path("after").asText(), top.toString());
      assertEquals("BEFORE", middle.path("before").asText(), top.toString());
      assertEquals("LEAF", leaf.path("leaf").asText(), top.toString());
      assertEquals(status.path("instanceId").asText(), top.path("instanceId").asText());
      assertNotEquals(top.path("instanceId").asText(), middle.path("instanceId").asText());
      assertEquals(middle.path("instanceId").asText(), leaf.path("parentInstanceId").asText(), top.toString());
      // no instance id given: the sub-orchestration gets "<parent execution id>:<sequence id>", as in DTFx
      assertTrue(middle.path("instanceId").asText().matches("[0-9a-f]{32}:1"), top.toString());
    }
  }

  @Test
  void aSubOrchestrationThatFailsThrowsItsFailureAtTheParentsYield() throws Exception {
    Path app = app("""
        if (context.df.getInput() === 'child') {
          throw new Error('the child broke');
        }
        try {
          yield context.df.callSubOrchestrator('sebs_orchestrator', 'child');
          return 'no failure';
        } catch (e) {
          return e.message;
        }
        """, FAILING_ACTIVITY);
    try (AzureFunctionHost host = start(app)) {
      JsonNode status = workflow(host, "{\"input\": \"parent\"}");
      assertEquals("Completed", status.path("runtimeStatus").asText(), status.toString());
      assertTrue(status.path("output").asText()
          .startsWith("Orchestrator function 'sebs_orchestrator' failed: the child broke"), status.toString());
    }
  }

  @Test
  void aFanOutOfAHundredActivitiesAndSubOrchestrationsWhoseActivitiesCallAnHttpServer() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer squares = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    squares.setExecutor(Executors.newFixedThreadPool(8));
    squares.createContext("/square", exchange -> {
      requests.incrementAndGet();
      int n = Integer.parseInt(exchange.getRequestURI().getQuery().replace("n=", ""));
      byte[] body = Integer.toString(n * n).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    squares.start();
    Path app = app("""
        const { url, n, tasks } = context.df.getInput();
        if (tasks === undefined) {
          return yield context.df.callActivity('sebs_invoke', { url, n });
        }
        const fanOut = [];
        for (let i = 0; i < tasks; i++) {
          fanOut.push(i % 10 === 9
            ? context.df.callSubOrchestrator('sebs_orchestrator', { url, n: i })
            : context.df.callActivity('sebs_invoke', { url, n: i }));
        }
        return yield context.df.Task.all(fanOut);
        """, """
        async ({ url, n }) => {
          const response = await fetch(`${url}?n=${n}`);
          if (!response.ok) throw new Error(`the square server answered ${response.status}`);
          return Number(await response.text());
        }""");
    try (AzureFunctionHost host = start(app)) {
      String url = "http://127.0.0.1:" + squares.getAddress().getPort() + "/square";
      JsonNode status = workflow(host, "{\"input\": {\"url\": \"" + url + "\", \"tasks\": 100}}");
      assertEquals("Completed", status.path("runtimeStatus").asText(), status.toString());
      List<Integer> expected = new ArrayList<>();
      List<Integer> got = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        expected.add(i * i);
      }
      status.path("output").forEach(n -> got.add(n.asInt()));
      assertEquals(expected, got);
      assertEquals(100, requests.get(), "one request per activity, ten of them in sub-orchestrations");
    } finally {
      squares.stop(0);
      ((java.util.concurrent.ExecutorService) squares.getExecutor()).shutdownNow();
    }
  }

  @Test
  void aFailingActivityCaughtByTheOrchestratorLetsItContinueWithTheFailureMessage() throws Exception {
    Path app = app("""
        let caught = null;
        try {
          yield context.df.callActivity('sebs_invoke', { fail: 'the storage said no' });
        } catch (e) {
          caught = e.message;
        }
        const after = yield context.df.callActivity('sebs_invoke', { value: 'went on' });
        return { caught, after };
        """, FAILING_ACTIVITY);
    try (AzureFunctionHost host = start(app)) {
      JsonNode status = workflow(host, "{}");
      assertEquals("Completed", status.path("runtimeStatus").asText(), status.toString());
      assertTrue(status.path("output").path("caught").asText()
          .startsWith("Activity function 'sebs_invoke' failed: the storage said no"), status.toString());
      assertEquals("went on", status.path("output").path("after").asText());
    }
  }

  @Test
  void aFailingActivityNotCaughtEndsTheOrchestrationFailedWithItsMessage() throws Exception {
    Path app = app("""
        yield context.df.callActivity('sebs_invoke', { fail: 'the storage said no' });
        return 'never';
        """, FAILING_ACTIVITY);
    try (AzureFunctionHost host = start(app)) {
      JsonNode status = workflow(host, "{}");
      assertEquals("Failed", status.path("runtimeStatus").asText(), status.toString());
      assertTrue(status.path("output").asText().startsWith("Orchestrator function 'sebs_orchestrator' failed: "
          + "Activity function 'sebs_invoke' failed: the storage said no"), status.toString());
    }
  }

  @Test
  void anOrchestratorThatThrowsEndsFailedWithItsError() throws Exception {
    Path app = app("""
        const first = yield context.df.callActivity('sebs_invoke', { value: 1 });
        throw new Error('no workflow today, after ' + first);
        """, FAILING_ACTIVITY);
    try (AzureFunctionHost host = start(app)) {
      JsonNode status = workflow(host, "{}");
      assertEquals("Failed", status.path("runtimeStatus").asText(), status.toString());
      assertEquals("Orchestrator function 'sebs_orchestrator' failed: no workflow today, after 1",
          status.path("output").asText());
    }
  }

  @Test
  void anOrchestratorThatSchedulesOtherWorkOnReplayIsFailedAsNonDeterministic() throws Exception {
    Path app = app("""
        episodes++;
        // the first episode calls sebs_invoke; its replay calls sebs_other in that place
        yield context.df.callActivity(episodes === 1 ? 'sebs_invoke' : 'sebs_other', { value: 1 });
        return 'never';
        """, FAILING_ACTIVITY, "let episodes = 0;\n"
        + "df.app.activity('sebs_other', { handler: async () => 'other' });");
    try (AzureFunctionHost host = start(app)) {
      JsonNode status = workflow(host, "{}");
      assertEquals("Failed", status.path("runtimeStatus").asText(), status.toString());
      String output = status.path("output").asText();
      assertTrue(output.contains("Non-Deterministic workflow detected"), output);
      assertTrue(output.contains("'sebs_invoke'") && output.contains("'sebs_other'"), output);
    }
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60000)) | CreateTimer",
      "yield context.df.waitForExternalEvent('approval') | WaitForExternalEvent",
      "context.df.continueAsNew(0); return 0 | ContinueAsNew",
      "yield context.df.callHttp({ method: 'GET', url: 'http://127.0.0.1:9/' }) | CallHttp",
      "yield context.df.callEntity(new df.EntityId('counter', 'k'), 'add', 1) | CallEntity",
      "yield context.df.callActivityWithRetry('sebs_invoke', new df.RetryOptions(1000, 2), {}) | CallActivityWithRetry",
  })
  void anActionTheStandInDoesNotImplementFailsTheOrchestrationNamingIt(String statement, String action)
      throws Exception {
    Path app = app(statement + ";\n", FAILING_ACTIVITY);
    try (AzureFunctionHost host = start(app)) {
      JsonNode status = workflow(host, "{}");
      assertEquals("Failed", status.path("runtimeStatus").asText(), status.toString());
      assertTrue(status.path("output").asText().contains("the stand-in does not implement " + action + " "),
          status.toString());
    }
  }

  @Test
  void callingAnActivityThatDoesNotExistFailsTheOrchestrationListingTheKnownOnes() throws Exception {
    Path app = app("yield context.df.callActivity('sebs_invokee', 1);\n", FAILING_ACTIVITY);
    try (AzureFunctionHost host = start(app)) {
      JsonNode status = workflow(host, "{}");
      assertEquals("Failed", status.path("runtimeStatus").asText(), status.toString());
      assertTrue(status.path("output").asText().contains("The function 'sebs_invokee' doesn't exist, is disabled,"
          + " or is not an activity function. Additional info: The following are the known activity functions:"
          + " 'sebs_invoke'."), status.toString());
    }
  }

  @Test
  void startingAnOrchestratorThatDoesNotExistFailsTheStarterWithTheExtensionsAnswer() throws Exception {
    Path app = app("return 1;\n", FAILING_ACTIVITY);
    try (AzureFunctionHost host = start(app)) {
      HttpResponse<String> response = post(host, "{\"orchestrator\": \"sebs_orchestratorr\"}");
      assertEquals(500, response.statusCode(), response.body());
      assertTrue(response.body().contains("unexpected status code: 400"), response.body());
      assertTrue(response.body().contains("The function 'sebs_orchestratorr' doesn't exist"), response.body());
    }
  }

  @Test
  void aTerminatedOrchestrationEndsTerminatedWithTheReasonWithoutWaitingForItsActivity() throws Exception {
    Path app = app("""
        return yield context.df.callActivity('sebs_invoke', { sleepMs: 5000, value: 'too late' });
        """, FAILING_ACTIVITY);
    try (AzureFunctionHost host = start(app)) {
      long begin = System.nanoTime();
      JsonNode status = workflow(host, "{\"terminateWhenRunning\": \"enough waiting\"}");
      long millis = (System.nanoTime() - begin) / 1_000_000;
      assertEquals("Terminated", status.path("runtimeStatus").asText(), status.toString());
      assertEquals("enough waiting", status.path("output").asText());
      assertTrue(millis < 4000, "terminating took " + millis + " ms");
    }
  }

  @Test
  void anAppWithDurableFunctionsButNoExtensionBundleFailsAtStart() throws Exception {
    Path app = app("{\"version\": \"2.0\"}", "return 1;\n", FAILING_ACTIVITY, "");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> start(app));
    assertTrue(e.getMessage().contains("host.json has no extensionBundle"), e.getMessage());
    assertTrue(e.getMessage().contains("Microsoft.Azure.Functions.ExtensionBundle"), e.getMessage());
  }

  @Test
  void anExtensionBundleRangeWithoutVersion4FailsAtStart() throws Exception {
    Path app = app("{\"version\": \"2.0\", \"extensionBundle\": {\"id\": \"Microsoft.Azure.Functions.ExtensionBundle\","
        + " \"version\": \"[3.*, 4.0.0)\"}}", "return 1;\n", FAILING_ACTIVITY, "");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> start(app));
    assertTrue(e.getMessage().contains("extensionBundle version \"[3.*, 4.0.0)\" is not a range that includes 4.x"),
        e.getMessage());
  }

  @Test
  void aTaskHubNameThatIsNotThreeToFortyFiveAlphanumericsStartingWithALetterFailsAtStart() throws Exception {
    for (String hub : List.of("sebs-hub", "1sebs", "ab", "a".repeat(46))) {
      Path app = app("{\"version\": \"2.0\", " + BUNDLE + ", \"extensions\": {\"durableTask\": {\"hubName\": \""
          + hub + "\"}}}", "return 1;\n", FAILING_ACTIVITY, "");
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> start(app), hub);
      assertTrue(e.getMessage().contains("Task hub name '" + hub + "'") && e.getMessage().contains(
          "should contain only alphanumeric characters, start with a letter, and have length between 3 and 45"),
          e.getMessage());
      deleteApp(app);
    }
  }

  /** Throws the message it is given as {@code fail}, after sleeping {@code sleepMs}; else answers {@code value}. */
  private static final String FAILING_ACTIVITY = """
      async (input) => {
        if (input && input.sleepMs) await new Promise((resolve) => setTimeout(resolve, input.sleepMs));
        if (input && input.fail) throw new Error(input.fail);
        return input ? input.value : undefined;
      }""";

  private Path app(String orchestrator, String activity) throws IOException {
    return app(HOST_JSON, orchestrator, activity, "");
  }

  private Path app(String orchestrator, String activity, String more) throws IOException {
    return app(HOST_JSON, orchestrator, activity, more);
  }

  /**
   * An app in {@code work/app}: the starter, {@code sebs_orchestrator} with the given body, {@code sebs_invoke}
   * with the given handler and more code at module level; the SDK's node_modules linked in.
   */
  private Path app(String hostJson, String orchestrator, String activity, String more) throws IOException {
    Path app = Files.createDirectories(work.resolve("app"));
    Files.writeString(app.resolve("host.json"), hostJson);
    Files.writeString(app.resolve("package.json"),
        "{\"name\": \"durable-app\", \"version\": \"1.0.0\", \"main\": \"index.js\"}");
    Files.writeString(app.resolve("index.js"), STARTER + more + "\n"
        + "df.app.orchestration('sebs_orchestrator', function* (context) {\n" + orchestrator + "});\n"
        + "df.app.activity('sebs_invoke', { handler: " + activity + " });\n");
    if (!Files.exists(app.resolve("node_modules"))) {
      Files.createSymbolicLink(app.resolve("node_modules"), modules);
    }
    return app;
  }

  private static void deleteApp(Path app) throws IOException {
    Files.delete(app.resolve("node_modules"));
    for (String file : List.of("host.json", "package.json", "index.js")) {
      Files.delete(app.resolve(file));
    }
    Files.delete(app);
  }

  private AzureFunctionHost start(Path app) throws IOException {
    return AzureFunctionHost.start(app, Language.NODEJS, Map.of(), work);
  }

  /** POSTs the body to the starter and returns the status it answers with. */
  private static JsonNode workflow(AzureFunctionHost host, String body) throws Exception {
    HttpResponse<String> response = post(host, body);
    assertEquals(200, response.statusCode(), response.body() + "\n" + host.logTail());
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> post(AzureFunctionHost host, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/api/sebs_workflow"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  private static int count(String text, String line) {
    Matcher m = Pattern.compile("^" + Pattern.quote(line) + "$", Pattern.MULTILINE).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
