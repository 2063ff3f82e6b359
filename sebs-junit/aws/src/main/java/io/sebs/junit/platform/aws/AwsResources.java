package io.sebs.junit.platform.aws;

import io.sebs.junit.config.SebsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.sebs.junit.storage.DynamoDbNoSqlStorage;
import io.sebs.junit.storage.S3ObjectStorage;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Lists and removes what the aws platform left deployed: every Lambda function tagged
 * {@value AwsPlatform#TAG}, (given a Step Functions client) every state machine so tagged, the workflows',
 * and (given S3 and DynamoDB clients) the runs' buckets {@code sebs-<run id>} and
 * tables {@code sebs-<run id>-...}, recognised by that name (a run id is {@code yyyyMMdd-HHmmss-<6 hex>}),
 * optionally only those of one run, and the account's deployment bucket for large packages
 * ({@code sebs-junit-code-<account>-<region>}, see {@link CodeBucket}; not tied to a run, so only listed and
 * deleted when no run is given). Buckets are emptied before they are deleted. Also usable from the command line:
 * {@code java ... io.sebs.junit.platform.aws.AwsResources [--delete] [--run <run id>]} (lists by default).
 */
public final class AwsResources {

  /** {@code sebs-<run id>}, the run id in group 1. */
  private static final Pattern BUCKET = Pattern.compile("sebs-(\\d{8}-\\d{6}-[0-9a-f]{6})");
  /** {@code sebs-<run id>-<benchmark>-<table>}. */
  private static final Pattern TABLE = Pattern.compile("sebs-(\\d{8}-\\d{6}-[0-9a-f]{6})-.+");

  private final LambdaClient lambda;
  private final S3Client s3;
  private final DynamoDbClient dynamo;
  private final SfnClient sfn;

  /** Functions only. */
  public AwsResources(LambdaClient lambda) {
    this(lambda, null, null, null);
  }

  /** Functions, and buckets and tables when their client is not null. */
  public AwsResources(LambdaClient lambda, S3Client s3, DynamoDbClient dynamo) {
    this(lambda, s3, dynamo, null);
  }

  /** Functions, and buckets, tables and state machines when their client is not null. */
  public AwsResources(LambdaClient lambda, S3Client s3, DynamoDbClient dynamo, SfnClient sfn) {
    this.lambda = lambda;
    this.s3 = s3;
    this.dynamo = dynamo;
    this.sfn = sfn;
  }

  /** What the platform created: its kind, name, ARN (functions and state machines, else "") and run. */
  public record Resource(Kind kind, String name, String arn, String runId) {}

  public enum Kind { FUNCTION, STATE_MACHINE, BUCKET, TABLE }

  /** The tagged functions and state machines, then the runs' buckets and tables; {@code runId} null for all runs. */
  public List<Resource> list(String runId) {
    List<Resource> found = functions(runId);
    if (sfn != null) {
      for (var machine : sfn.listStateMachinesPaginator(r -> { }).stateMachines()) {
        Map<String, String> tags = new java.util.HashMap<>();
        try {
          sfn.listTagsForResource(r -> r.resourceArn(machine.stateMachineArn())).tags()
              .forEach(t -> tags.put(t.key(), t.value()));
        } catch (StateMachineDoesNotExistException | software.amazon.awssdk.services.sfn.model.ResourceNotFoundException gone) {
          continue;
        }
        if (tags.containsKey(AwsPlatform.TAG) && (runId == null || runId.equals(tags.get(AwsPlatform.RUN_TAG)))) {
          found.add(new Resource(Kind.STATE_MACHINE, machine.name(), machine.stateMachineArn(),
              tags.getOrDefault(AwsPlatform.RUN_TAG, "")));
        }
      }
    }
    if (s3 != null) {
      for (var bucket : s3.listBuckets().buckets()) {
        named(BUCKET, Kind.BUCKET, bucket.name(), runId).ifPresent(found::add);
        if (runId == null && CodeBucket.NAME.matcher(bucket.name()).matches()) {
          found.add(new Resource(Kind.BUCKET, bucket.name(), "", ""));
        }
      }
    }
    if (dynamo != null) {
      for (String table : dynamo.listTablesPaginator().tableNames()) {
        named(TABLE, Kind.TABLE, table, runId).ifPresent(found::add);
      }
    }
    return found;
  }

  private static java.util.Optional<Resource> named(Pattern pattern, Kind kind, String name, String runId) {
    Matcher m = pattern.matcher(name);
    if (m.matches() && (runId == null || runId.equals(m.group(1)))) {
      return java.util.Optional.of(new Resource(kind, name, "", m.group(1)));
    }
    return java.util.Optional.empty();
  }

  private List<Resource> functions(String runId) {
    List<Resource> found = new ArrayList<>();
    for (FunctionConfiguration f : lambda.listFunctionsPaginator(r -> { }).functions()) {
      Map<String, String> tags;
      try {
        tags = lambda.listTags(r -> r.resource(f.functionArn())).tags();
      } catch (ResourceNotFoundException gone) {
        continue;
      }
      if (tags.containsKey(AwsPlatform.TAG) && (runId == null || runId.equals(tags.get(AwsPlatform.RUN_TAG)))) {
        found.add(new Resource(Kind.FUNCTION, f.functionName(), f.functionArn(), tags.getOrDefault(AwsPlatform.RUN_TAG, "")));
      }
    }
    return found;
  }

  /** Deletes what {@link #list} finds (of one run, or all with null) and returns what was deleted. */
  public List<Resource> delete(String runId) {
    List<Resource> deleted = new ArrayList<>();
    for (Resource r : list(runId)) {
      switch (r.kind()) {
        case FUNCTION -> {
          try {
            lambda.deleteFunction(d -> d.functionName(r.name()));
          } catch (ResourceNotFoundException alreadyGone) {
            // deleted concurrently: the goal is reached
          }
        }
        case STATE_MACHINE -> {
          try {
            sfn.deleteStateMachine(d -> d.stateMachineArn(r.arn()));
          } catch (StateMachineDoesNotExistException alreadyGone) {
            // deleted concurrently
          }
        }
        case BUCKET -> new S3ObjectStorage(s3, r.name()).deleteBucket(r.name());
        case TABLE -> new DynamoDbNoSqlStorage(dynamo, Duration.ofMinutes(2)).deleteTable(r.name());
      }
      deleted.add(r);
    }
    return deleted;
  }

  public static void main(String[] args) {
    boolean delete = false;
    String runId = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--delete" -> delete = true;
        case "--run" -> runId = args[++i];
        default -> throw new IllegalArgumentException("Unknown argument '" + args[i] + "': use [--delete] [--run <run id>]");
      }
    }
    try (AwsClients clients = AwsClients.create(AwsSettings.from(SebsConfig.fromSystemProperties()))) {
      try (S3Client s3 = AwsClients.s3(clients.region());
          DynamoDbClient dynamo = DynamoDbClient.builder().region(clients.region())
              .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
          SfnClient sfn = AwsClients.sfn(clients.region(), Duration.ofSeconds(60), true)) {
        AwsResources resources = new AwsResources(clients.lambda(), s3, dynamo, sfn);
        List<Resource> result = delete ? resources.delete(runId) : resources.list(runId);
        System.out.println((delete ? "Deleted " : "Found ") + result.size() + " sebs-junit resource(s) in "
            + clients.region());
        result.forEach(r -> System.out.println("  " + r.kind().name().toLowerCase(java.util.Locale.ROOT) + " "
            + r.name() + "  run " + r.runId()));
      }
    }
  }
}
