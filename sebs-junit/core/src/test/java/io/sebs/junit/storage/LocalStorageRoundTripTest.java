package io.sebs.junit.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.NoSqlStorage;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.storage.local.LocalStorage;
import io.sebs.junit.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local platform's storage is real: an S3-API server (S3Proxy) and a DynamoDB-API server (dynalite)
 * on loopback, spoken to by the AWS SDK v2 clients that also serve AWS.
 */
class LocalStorageRoundTripTest {

  private static LocalStorage storage;

  @BeforeAll
  static void start() {
    storage = new LocalStorage(Fixtures.cacheDir(), "test-" + ProcessHandle.current().pid());
  }

  @AfterAll
  static void stop() {
    storage.close();
  }

  @Test
  void objectsRoundTripThroughTheS3Api(@TempDir Path dir) throws Exception {
    ObjectStorage s3 = storage.objectStorage();
    s3.createBucket("round-trip");
    s3.createBucket("round-trip"); // idempotent
    Path file = Files.writeString(dir.resolve("in.txt"), "hello from a file");

    s3.upload("round-trip", "in/a.txt", file);
    s3.upload("round-trip", "in/b.bin", new byte[] {1, 2, 3});
    s3.upload("round-trip", "out/c.txt", "c".getBytes(StandardCharsets.UTF_8));

    assertThat(s3.list("round-trip", "in/")).containsExactly("in/a.txt", "in/b.bin");
    assertThat(new String(s3.download("round-trip", "in/a.txt"), StandardCharsets.UTF_8)).isEqualTo("hello from a file");
    s3.download("round-trip", "in/b.bin", dir.resolve("copy/b.bin"));
    assertThat(Files.readAllBytes(dir.resolve("copy/b.bin"))).containsExactly(1, 2, 3);

    s3.delete("round-trip", "in/a.txt");
    assertThat(s3.list("round-trip", "")).containsExactly("in/b.bin", "out/c.txt");
    s3.deleteBucket("round-trip");
    assertThat(((S3ObjectStorage) s3).buckets()).doesNotContain("round-trip");
  }

  @Test
  void itemsRoundTripThroughTheDynamoDbApi() {
    NoSqlStorage db = storage.noSqlStorage();
    db.createTable("carts", "cart_id", "product_id");

    db.insert("carts", Map.of("cart_id", "c1", "product_id", "p1", "price", 42, "name", "Gothic", "tags", List.of("rpg")));
    db.insert("carts", Map.of("cart_id", "c1", "product_id", "p2", "price", 7.5, "name", "Risen"));
    db.insert("carts", Map.of("cart_id", "c2", "product_id", "p1", "price", 42, "name", "Gothic"));

    assertThat(db.get("carts", Map.of("cart_id", "c1", "product_id", "p1")))
        .hasValueSatisfying(item -> assertThat(item).containsEntry("price", 42L).containsEntry("tags", List.of("rpg")));
    assertThat(db.query("carts", "cart_id", "c1")).extracting(i -> i.get("product_id")).containsExactly("p1", "p2");
    db.update("carts", Map.of("cart_id", "c1", "product_id", "p2"), Map.of("price", 8.25));
    assertThat(db.get("carts", Map.of("cart_id", "c1", "product_id", "p2")).orElseThrow()).containsEntry("price", 8.25);
    db.delete("carts", Map.of("cart_id", "c2", "product_id", "p1"));
    assertThat(db.get("carts", Map.of("cart_id", "c2", "product_id", "p1"))).isEmpty();
    assertThat(db.tables()).contains("carts");
    db.deleteTable("carts");
    assertThat(db.tables()).doesNotContain("carts");
  }

  @Test
  void functionInstancesGetTheEndpointsButNeverSecretsInToString() {
    StorageEndpoints endpoints = storage.endpoints();

    assertThat(endpoints.functionEnvironment())
        .containsKeys("SEBS_STORAGE_ENDPOINT", "SEBS_NOSQL_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_REGION");
    assertThat(endpoints.s3().getHost()).isEqualTo("127.0.0.1");
    assertThat(endpoints.toString()).doesNotContain(endpoints.secretKey());
  }
}
