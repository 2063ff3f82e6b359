package io.sebs.junit.storage;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where S3- and DynamoDB-API servers (and Redis, when used) listen and how to sign requests for them: the
 * same AWS SDK clients serve the local platform's loopback servers and AWS itself.
 * {@link #functionEnvironment()} hands the same facts to function instances.
 *
 * @param s3 the S3 endpoint, or null for none (or, on AWS, the SDK's default endpoint)
 * @param dynamoDb the DynamoDB endpoint, or null likewise
 * @param region null when the function's platform sets it (AWS Lambda)
 * @param accessKey null, with {@code secretKey}, when the function's platform provides credentials
 * @param redis {@code redis://host:port}, or null when no Redis server is in use
 */
public record StorageEndpoints(URI s3, URI dynamoDb, String region, String accessKey, String secretKey, URI redis) {

  /** Endpoints without Redis. */
  public StorageEndpoints(URI s3, URI dynamoDb, String region, String accessKey, String secretKey) {
    this(s3, dynamoDb, region, accessKey, secretKey, null);
  }

  public S3Client s3Client() {
    return S3Client.builder()
        .endpointOverride(s3)
        .forcePathStyle(true)
        .region(Region.of(region))
        .credentialsProvider(credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  public DynamoDbClient dynamoDbClient() {
    return DynamoDbClient.builder()
        .endpointOverride(dynamoDb)
        .region(Region.of(region))
        .credentialsProvider(credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  private StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
  }

  /** Environment variables the function-side storage modules read. */
  public Map<String, String> functionEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (s3 != null) {
      env.put("SEBS_STORAGE_ENDPOINT", s3.toString());
    }
    if (dynamoDb != null) {
      env.put("SEBS_NOSQL_ENDPOINT", dynamoDb.toString());
    }
    if (redis != null) {
      env.put("SEBS_REDIS_HOST", redis.getHost());
      env.put("SEBS_REDIS_PORT", Integer.toString(redis.getPort()));
    }
    if (accessKey != null) { // null: the function's platform provides credentials (e.g. Lambda's role)
      env.put("AWS_ACCESS_KEY_ID", accessKey);
      env.put("AWS_SECRET_ACCESS_KEY", secretKey);
    }
    if (region != null) { // null: the function's platform sets the region (Lambda reserves AWS_REGION)
      env.put("AWS_REGION", region);
      env.put("AWS_DEFAULT_REGION", region);
    }
    return env;
  }

  @Override
  public String toString() {
    return "StorageEndpoints[s3=" + s3 + ", dynamoDb=" + dynamoDb + ", redis=" + redis + ", region=" + region + "]"; // no secrets
  }
}
