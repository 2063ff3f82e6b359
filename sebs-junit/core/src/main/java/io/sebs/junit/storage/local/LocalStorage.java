package io.sebs.junit.storage.local;

import io.sebs.junit.storage.DynamoDbNoSqlStorage;
import io.sebs.junit.storage.PlatformStorage;
import io.sebs.junit.storage.S3ObjectStorage;
import io.sebs.junit.storage.StorageEndpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The local platform's storage: an S3-API server (S3Proxy, in this JVM) and a DynamoDB-API server
 * (dynalite, a child process), and a Redis server (redis-server, a child process), each started on first use and stopped with the run. Everything is in
 * memory, so each run starts empty and leaves nothing to clean up.
 */
public final class LocalStorage implements PlatformStorage {

  private static final Logger LOG = Logger.getLogger(LocalStorage.class.getName());
  private static final String ACCESS_KEY = "sebs-local";
  private static final String SECRET_KEY = "sebs-local-secret";
  private static final String REGION = "us-east-1";

  private final Path cacheDir;
  private final String runId;
  private S3ProxyServer s3Server;
  private DynaliteServer dynamoServer;
  private RedisServer redisServer;
  private S3ObjectStorage objectStorage;
  private DynamoDbNoSqlStorage noSqlStorage;

  public LocalStorage(Path cacheDir, String runId) {
    this.cacheDir = cacheDir;
    this.runId = runId;
  }

  @Override
  public synchronized S3ObjectStorage objectStorage() {
    if (objectStorage == null) {
      objectStorage = new S3ObjectStorage(
          new StorageEndpoints(s3Server().endpoint(), null, REGION, ACCESS_KEY, SECRET_KEY).s3Client(),
          "sebs-" + runId);
    }
    return objectStorage;
  }

  @Override
  public synchronized DynamoDbNoSqlStorage noSqlStorage() {
    if (noSqlStorage == null) {
      noSqlStorage = new DynamoDbNoSqlStorage(
          new StorageEndpoints(null, dynamoServer().endpoint(), REGION, ACCESS_KEY, SECRET_KEY).dynamoDbClient(),
          Duration.ofSeconds(30));
    }
    return noSqlStorage;
  }

  /** A real redis-server on loopback, started on first use (in memory, no persistence). */
  @Override
  public synchronized java.net.URI redis() {
    if (redisServer == null) {
      redisServer = timed("Redis server (redis-server)", RedisServer::start);
    }
    return redisServer.endpoint();
  }

  /** Endpoints of the servers started so far (null for one not started), for function instances. */
  @Override
  public synchronized StorageEndpoints endpoints() {
    return new StorageEndpoints(s3Server == null ? null : s3Server.endpoint(),
        dynamoServer == null ? null : dynamoServer.endpoint(), REGION, ACCESS_KEY, SECRET_KEY,
        redisServer == null ? null : redisServer.endpoint());
  }

  private S3ProxyServer s3Server() {
    if (s3Server == null) {
      s3Server = timed("S3 server (S3Proxy)", () -> S3ProxyServer.start(ACCESS_KEY, SECRET_KEY));
    }
    return s3Server;
  }

  private DynaliteServer dynamoServer() {
    if (dynamoServer == null) {
      dynamoServer = timed("DynamoDB server (dynalite)", () -> DynaliteServer.start(cacheDir));
    }
    return dynamoServer;
  }

  private static <T> T timed(String what, Supplier<T> start) {
    long t0 = System.nanoTime();
    T server = start.get();
    LOG.info(() -> "Started the local " + what + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    return server;
  }

  @Override
  public synchronized void close() {
    if (objectStorage != null) {
      objectStorage.close();
    }
    if (noSqlStorage != null) {
      noSqlStorage.close();
    }
    if (s3Server != null) {
      s3Server.close();
    }
    if (dynamoServer != null) {
      dynamoServer.close();
    }
    if (redisServer != null) {
      redisServer.close();
    }
  }
}
