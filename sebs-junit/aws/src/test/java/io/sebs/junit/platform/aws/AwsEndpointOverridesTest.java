package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sebs.junit.testing.Fixtures;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * Every AWS client the platform builds (Lambda, IAM, S3 for runs and code, DynamoDB, CloudWatch Logs) takes its
 * endpoint from the SDK's standard per-service overrides, so nothing is pinned to AWS's hosts and a user or a
 * test can redirect each service alone. Proven with the system properties ({@code aws.endpointUrl<Service>});
 * the SDK reads the environment variables ({@code AWS_ENDPOINT_URL_<SERVICE>}) in the same lookup, which a
 * running JVM cannot set for itself. Each service gets its own loopback server that records what reaches it;
 * a global override ({@code aws.endpointUrl}) points at a further server that must receive nothing, since the
 * service-specific settings win.
 */
class AwsEndpointOverridesTest {

  static final Map<String, String> SERVICE_PROPERTIES = Map.of(
      "lambda", "aws.endpointUrlLambda",
      "iam", "aws.endpointUrlIam",
      "s3", "aws.endpointUrlS3",
      "dynamodb", "aws.endpointUrlDynamoDb",
      "logs", "aws.endpointUrlCloudWatchLogs");
  static final Map<String, HttpServer> servers = new LinkedHashMap<>();
  static final Map<String, List<String>> received = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    for (String service : List.of("lambda", "iam", "s3", "dynamodb", "logs", "global")) {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      List<String> requests = new CopyOnWriteArrayList<>();
      server.createContext("/", exchange -> {
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        exchange.getRequestBody().readAllBytes();
        byte[] body = "{\"message\":\"recorded by the endpoint test\"}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(400, body.length); // a client error: the SDK does not retry it
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      servers.put(service, server);
      received.put(service, requests);
    }
    System.setProperty("aws.accessKeyId", "AKIDENDPOINTS");
    System.setProperty("aws.secretAccessKey", "endpoints-secret");
    System.setProperty("aws.endpointUrl", url("global"));
    SERVICE_PROPERTIES.forEach((service, property) -> System.setProperty(property, url(service)));
  }

  static String url(String service) {
    return "http://127.0.0.1:" + servers.get(service).getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    SERVICE_PROPERTIES.values().forEach(System::clearProperty);
    List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.endpointUrl").forEach(System::clearProperty);
    servers.values().forEach(s -> s.stop(0));
  }

  private static void attempt(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException expected) {
      // the recording servers answer every request with an error: only where it went matters
    }
  }

  @Test
  void eachServiceGoesToItsOwnOverrideAndNotToTheGlobalOne() {
    try (AwsClients clients = AwsClients.create(AwsSettings.from(Fixtures.config(Path.of("results"),
            AwsSettings.REGION, "eu-west-1")));
        var s3 = AwsClients.s3(Region.EU_WEST_1);
        var logs = AwsClients.logs(Region.EU_WEST_1);
        var storage = new AwsStorage(Region.EU_WEST_1, "20261127-120000-abcdef")) {
      attempt(() -> clients.lambda().getFunction(r -> r.functionName("f")));
      attempt(() -> clients.iam().getRole(r -> r.roleName("sebs-junit-lambda")));
      attempt(() -> s3.listBuckets());
      attempt(() -> logs.filterLogEvents(r -> r.logGroupName("/aws/lambda/f")));
      attempt(() -> storage.objectStorage());            // the run's bucket
      attempt(() -> storage.noSqlStorage().tables());
      attempt(() -> new CodeBucket(Region.EU_WEST_1, "123456789012").upload("f", "hash", "x86_64", null));
      attempt(() -> new FunctionUrlTrigger(clients.lambda(), Region.EU_WEST_1).url("f"));
    }
    System.out.println("requests per endpoint: " + received);
    assertThat(received.get("lambda")).anyMatch(r -> r.startsWith("GET /2015-03-31/functions/f"))
        .anyMatch(r -> r.startsWith("GET /2021-10-31/functions/f/url"));
    assertThat(received.get("iam")).isNotEmpty();
    assertThat(received.get("s3")).anyMatch(r -> r.startsWith("GET /")).anyMatch(r -> r.startsWith("PUT /sebs-"))
        .anyMatch(r -> r.startsWith("PUT /sebs-junit-code-123456789012-eu-west-1"));
    assertThat(received.get("dynamodb")).isNotEmpty();
    assertThat(received.get("logs")).isNotEmpty();
    assertThat(received.get("global")).as("service-specific overrides win").isEmpty();
  }
}
