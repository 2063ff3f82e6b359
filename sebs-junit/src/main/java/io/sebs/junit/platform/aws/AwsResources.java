package io.sebs.junit.platform.aws;

import io.sebs.junit.config.SebsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Lists and removes what the aws platform left deployed: every Lambda function tagged
 * {@value AwsPlatform#TAG}, optionally only those of one run. Also usable from the command line:
 * {@code java ... io.sebs.junit.platform.aws.AwsResources [--delete] [--run <run id>]} (lists by default).
 */
public final class AwsResources {

  private final LambdaClient lambda;

  public AwsResources(LambdaClient lambda) {
    this.lambda = lambda;
  }

  /** A function the platform created: its name and the run that created it. */
  public record Resource(String name, String arn, String runId) {}

  /** The tagged functions; {@code runId} null for all runs. */
  public List<Resource> list(String runId) {
    List<Resource> found = new ArrayList<>();
    for (FunctionConfiguration f : lambda.listFunctionsPaginator(r -> { }).functions()) {
      Map<String, String> tags;
      try {
        tags = lambda.listTags(r -> r.resource(f.functionArn())).tags();
      } catch (ResourceNotFoundException gone) {
        continue;
      }
      if (tags.containsKey(AwsPlatform.TAG) && (runId == null || runId.equals(tags.get(AwsPlatform.RUN_TAG)))) {
        found.add(new Resource(f.functionName(), f.functionArn(), tags.getOrDefault(AwsPlatform.RUN_TAG, "")));
      }
    }
    return found;
  }

  /** Deletes the tagged functions (of one run, or all with null) and returns what was deleted. */
  public List<Resource> delete(String runId) {
    List<Resource> deleted = new ArrayList<>();
    for (Resource r : list(runId)) {
      try {
        lambda.deleteFunction(d -> d.functionName(r.name()));
      } catch (ResourceNotFoundException alreadyGone) {
        // deleted concurrently: the goal is reached
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
      AwsResources resources = new AwsResources(clients.lambda());
      List<Resource> result = delete ? resources.delete(runId) : resources.list(runId);
      System.out.println((delete ? "Deleted " : "Found ") + result.size() + " sebs-junit Lambda function(s) in "
          + clients.region());
      result.forEach(r -> System.out.println("  " + r.name() + "  run " + r.runId()));
    }
  }
}
