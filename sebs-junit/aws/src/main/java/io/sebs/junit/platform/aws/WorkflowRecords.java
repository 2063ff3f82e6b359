package io.sebs.junit.platform.aws;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Where the workflow functions record their executions: one DynamoDB table per run, {@code sebs-<run
 * id>-workflow-records} (partition key {@code workflow}: the workflow run's request id; sort key {@code
 * request_id}: Lambda's request id of the execution), created when the first workflow function is deployed
 * and deleted when the platform closes ({@link AwsResources} finds one left by a run that died, by its name).
 * The Lambda wrapper writes each record (a PutItem) after taking its end time, before it returns, so by the
 * time an execution has ended every record of it is there, and a strongly consistent Query reads them all
 * at once.
 *
 * <p>Why DynamoDB and not the functions' logs in CloudWatch Logs: a log line costs the function nothing, but
 * logs reach CloudWatch seconds to tens of seconds later, in one log group per function, so every run would
 * wait for them with no moment at which they are known to be complete; a record in DynamoDB is written
 * before the function answers and is readable at once. Its price is one PutItem inside each execution
 * (milliseconds, after the function's own end, so it is orchestration overhead and not function time).
 * SeBS writes to Redis for the same reason; DynamoDB needs no server of ours and only the execution role's
 * existing permission on {@code sebs-*} tables.
 */
final class WorkflowRecords implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(WorkflowRecords.class.getName());

  /** One function execution as the wrapper recorded it, times in epoch microseconds on the function's clock. */
  record Entry(String func, String state, String requestId, long startMicros, long endMicros, boolean isCold,
      String containerId, String error) {

    io.sebs.junit.FunctionRecord toRecord(long functionClockAheadMicros) {
      return new io.sebs.junit.FunctionRecord(func, state, requestId, instant(startMicros - functionClockAheadMicros),
          instant(Math.max(endMicros, startMicros) - functionClockAheadMicros), isCold, containerId, error);
    }

    private static Instant instant(long epochMicros) {
      return Instant.EPOCH.plus(epochMicros, ChronoUnit.MICROS);
    }
  }

  private final DynamoDbClient dynamo;
  private final String table;
  private final URI endpointOverride;
  private boolean created;

  WorkflowRecords(Region region, String runId) {
    this.dynamo = DynamoDbClient.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build())
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    this.table = "sebs-" + runId + "-workflow-records";
    this.endpointOverride = dynamo.serviceClientConfiguration().endpointOverride().orElse(null);
  }

  String table() {
    return table;
  }

  /**
   * What a workflow function needs to write its records: the table, and the DynamoDB endpoint when the
   * SDK's is overridden (a stand-in); the table is created on the first call.
   */
  synchronized Map<String, String> functionEnvironment() {
    ensureTable();
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("SEBS_WORKFLOW_RECORDS", table);
    if (endpointOverride != null) {
      environment.put("SEBS_WORKFLOW_RECORDS_ENDPOINT", endpointOverride.toString());
    }
    return environment;
  }

  private void ensureTable() {
    if (created) {
      return;
    }
    try {
      dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
          .keySchema(KeySchemaElement.builder().attributeName("workflow").keyType(KeyType.HASH).build(),
              KeySchemaElement.builder().attributeName("request_id").keyType(KeyType.RANGE).build())
          .attributeDefinitions(
              AttributeDefinition.builder().attributeName("workflow").attributeType(ScalarAttributeType.S).build(),
              AttributeDefinition.builder().attributeName("request_id").attributeType(ScalarAttributeType.S).build()));
      LOG.info(() -> "Created the workflow records table " + table);
    } catch (ResourceInUseException exists) {
      // created before by this run
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (dynamo.describeTable(b -> b.tableName(table)).table().tableStatus() != TableStatus.ACTIVE) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The workflow records table " + table + " is not ACTIVE after 2 minutes");
      }
      sleep(100);
    }
    created = true;
  }

  /** Every record of one workflow run (a strongly consistent Query). */
  List<Entry> read(String workflowRequestId) {
    List<Entry> entries = new ArrayList<>();
    dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
            .keyConditionExpression("#w = :w").expressionAttributeNames(Map.of("#w", "workflow"))
            .expressionAttributeValues(Map.of(":w", AttributeValue.fromS(workflowRequestId))))
        .items().forEach(item -> entries.add(new Entry(text(item, "func"), text(item, "state"),
            text(item, "request_id"), number(item, "start"), number(item, "end"),
            Boolean.TRUE.equals(item.getOrDefault("is_cold", AttributeValue.fromBool(false)).bool()),
            text(item, "container_id"), text(item, "error"))));
    return entries;
  }

  private static String text(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? 0 : new java.math.BigDecimal(value.n()).longValue();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the workflow records table", e);
    }
  }

  /** Deletes the run's table (when this run created it) and closes the client. */
  @Override
  public synchronized void close() {
    try {
      if (created) {
        dynamo.deleteTable(b -> b.tableName(table));
        LOG.info(() -> "Deleted the workflow records table " + table);
      }
    } catch (ResourceNotFoundException gone) {
      // deleted already
    } catch (RuntimeException e) {
      LOG.warning(() -> "Cannot delete the workflow records table " + table + " (remove it with AwsResources --delete): "
          + e);
    } finally {
      dynamo.close();
    }
  }
}
