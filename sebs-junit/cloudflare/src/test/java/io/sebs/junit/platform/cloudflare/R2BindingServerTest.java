package io.sebs.junit.platform.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.storage.StorageEndpoints;
import io.sebs.junit.storage.local.S3ProxyServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The R2 binding protocol as workerd speaks it, sent by hand: what the binding reads (metadata, then the value), what
 * the S3 side sees of a put, a missing key as R2's 10007, and the refusals that name what is not served locally.
 */
class R2BindingServerTest {

  private static S3ProxyServer s3Server;
  private static S3Client s3;
  private static R2BindingServer r2;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    s3Server = S3ProxyServer.start("key", "secret");
    s3 = new StorageEndpoints(s3Server.endpoint(), null, "us-east-1", "key", "secret").s3Client();
    s3.createBucket(b -> b.bucket("bucket"));
    r2 = R2BindingServer.start(s3);
  }

  @AfterAll
  static void stop() {
    r2.close();
    s3.close();
    s3Server.close();
  }

  private static HttpResponse<byte[]> read(String bucket, String operation) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(r2.endpoint()).header("cf-r2-request", operation).GET();
    if (bucket != null) {
      request.header(R2BindingServer.BUCKET_HEADER, bucket);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> write(String operation, String value) throws Exception {
    byte[] meta = operation.getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[meta.length + value.length()];
    System.arraycopy(meta, 0, body, 0, meta.length);
    System.arraycopy(value.getBytes(StandardCharsets.UTF_8), 0, body, meta.length, value.length());
    return HTTP.send(HttpRequest.newBuilder(r2.endpoint()).header(R2BindingServer.BUCKET_HEADER, "bucket")
        .header("cf-r2-metadata-size", Integer.toString(meta.length))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String metadata(HttpResponse<byte[]> response) {
    int size = Integer.parseInt(response.headers().firstValue("cf-r2-metadata-size").orElseThrow());
    return new String(response.body(), 0, size, StandardCharsets.UTF_8);
  }

  private static String value(HttpResponse<byte[]> response) {
    int size = Integer.parseInt(response.headers().firstValue("cf-r2-metadata-size").orElseThrow());
    return new String(response.body(), size, response.body().length - size, StandardCharsets.UTF_8);
  }

  @Test
  void aPutLandsInTheS3BucketWithItsContentTypeAndCustomMetadata() throws Exception {
    HttpResponse<byte[]> put = write("{\"version\":1,\"method\":\"put\",\"object\":\"put/one.txt\","
        + "\"httpFields\":{\"contentType\":\"text/plain\"},\"customFields\":[{\"k\":\"owner\",\"v\":\"sebs\"}]}",
        "hello");

    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(metadata(put)).contains("\"name\":\"put/one.txt\"", "\"size\":5", "\"contentType\":\"text/plain\"");
    var head = s3.headObject(b -> b.bucket("bucket").key("put/one.txt"));
    assertThat(head.contentType()).isEqualTo("text/plain");
    assertThat(head.metadata()).containsEntry("owner", "sebs");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("bucket").key("put/one.txt")).asUtf8String()).isEqualTo("hello");
  }

  @Test
  void aGetAnswersTheMetadataThenTheValueAndARangeOnlyItsBytes() throws Exception {
    s3.putObject(b -> b.bucket("bucket").key("get/abc.txt"), RequestBody.fromString("abcdef"));

    HttpResponse<byte[]> whole = read("bucket", "{\"version\":1,\"method\":\"get\",\"object\":\"get/abc.txt\"}");
    HttpResponse<byte[]> range = read("bucket",
        "{\"version\":1,\"method\":\"get\",\"object\":\"get/abc.txt\",\"range\":{\"offset\":2,\"length\":3}}");

    assertThat(value(whole)).isEqualTo("abcdef");
    assertThat(metadata(whole)).contains("\"size\":6", "\"range\":{\"offset\":0,\"length\":6}");
    assertThat(value(range)).isEqualTo("cde");
    assertThat(metadata(range)).contains("\"size\":6", "\"range\":{\"offset\":2,\"length\":3}");
    // get(key, {range: new Headers({range: ...})}): workerd passes the header on as it is
    HttpResponse<byte[]> header = read("bucket",
        "{\"version\":1,\"method\":\"get\",\"object\":\"get/abc.txt\",\"rangeHeader\":\"bytes=1-2\"}");
    assertThat(value(header)).isEqualTo("bc");
    HttpResponse<byte[]> beyond = read("bucket",
        "{\"version\":1,\"method\":\"get\",\"object\":\"get/abc.txt\",\"rangeHeader\":\"bytes=10-20\"}");
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("cf-r2-error").orElseThrow()).contains("\"v4code\":10039");
  }

  @Test
  void aListPagesByCursorAndGroupsByDelimiter() throws Exception {
    for (String key : new String[] {"list/a", "list/b", "list/sub/c"}) {
      s3.putObject(b -> b.bucket("bucket").key(key), RequestBody.fromString(key));
    }

    String first = metadata(read("bucket", "{\"version\":1,\"method\":\"list\",\"prefix\":\"list/\",\"limit\":2}"));
    String grouped = metadata(read("bucket",
        "{\"version\":1,\"method\":\"list\",\"prefix\":\"list/\",\"delimiter\":\"/\"}"));

    assertThat(first).contains("\"name\":\"list/a\"", "\"name\":\"list/b\"", "\"truncated\":true", "\"cursor\":")
        .doesNotContain("list/sub/c");
    assertThat(grouped).contains("\"delimitedPrefixes\":[\"list/sub/\"]", "\"truncated\":false");
  }

  @Test
  void aMissingKeyIsR2sNoSuchKeySoTheBindingAnswersNull() throws Exception {
    HttpResponse<byte[]> get = read("bucket", "{\"version\":1,\"method\":\"get\",\"object\":\"nothing-here\"}");

    assertThat(get.statusCode()).isEqualTo(404);
    assertThat(get.headers().firstValue("cf-r2-error").orElseThrow()).contains("\"v4code\":10007");
    HttpResponse<byte[]> headInNoBucket = read("no-such-bucket", "{\"version\":1,\"method\":\"head\",\"object\":\"x\"}");
    assertThat(headInNoBucket.headers().firstValue("cf-r2-error").orElseThrow()).as("an error, not the binding's null")
        .contains("\"v4code\":10006");
  }

  @Test
  void whatIsNotServedLocallyIsRefusedSayingSo() throws Exception {
    HttpResponse<byte[]> multipart = read("bucket",
        "{\"version\":1,\"method\":\"createMultipartUpload\",\"object\":\"big\"}");
    HttpResponse<byte[]> conditional = read("bucket",
        "{\"version\":1,\"method\":\"get\",\"object\":\"x\",\"onlyIf\":{\"etagMatches\":[{\"value\":\"e\"}]}}");
    HttpResponse<byte[]> noBucket = read(null, "{\"version\":1,\"method\":\"head\",\"object\":\"x\"}");

    assertThat(multipart.statusCode()).isEqualTo(501);
    assertThat(multipart.headers().firstValue("cf-r2-error").orElseThrow())
        .contains("createMultipartUpload", "put a whole object");
    assertThat(conditional.statusCode()).isEqualTo(501);
    assertThat(new String(conditional.body(), StandardCharsets.UTF_8)).contains("onlyIf");
    assertThat(noBucket.statusCode()).isEqualTo(400);
    assertThat(new String(noBucket.body(), StandardCharsets.UTF_8)).contains(R2BindingServer.BUCKET_HEADER);
  }

  @Test
  void aContentRangeGivesTheFirstByteAndTheWholeSize() {
    assertThat(R2BindingServer.contentRange("bytes 2-4/6", 3)).containsExactly(2, 6);
    assertThat(R2BindingServer.contentRange(null, 6)).containsExactly(0, 6);
  }
}
