package io.sebs.junit.platform.aws;

import io.sebs.junit.benchmark.Language;
import io.sebs.junit.config.SebsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The AWS platform's configuration keys, read from the usual chain (system properties,
 * junit-platform.properties). Credentials and, unless {@code sebs.aws.region} is set, the region come from
 * the AWS SDK's default chains, never from sebs keys, so no secret passes through the framework's config.
 *
 * @param region {@code sebs.aws.region}; empty = the SDK's default region chain
 * @param roleArn {@code sebs.aws.role}: an existing execution role to use; empty = create or reuse
 *     {@link #roleName()}
 * @param architecture {@code sebs.aws.architecture}: {@code x86_64} (default) or {@code arm64}
 * @param trigger {@code sebs.aws.trigger}: how functions are invoked, {@code invoke} (default) or {@code url}
 * @param logWait {@code sebs.aws.logWait}: how long to wait for Lambda's REPORT lines to reach CloudWatch Logs
 *     when invocations had no log tail (default 60 s; delivery lags seconds)
 * @param workflowType {@code sebs.aws.workflowType}: the Step Functions state machine type workflows run as,
 *     {@code express} (default) or {@code standard} (see {@link WorkflowType})
 * @param workflowTimeout {@code sebs.aws.workflowTimeout}: how long a workflow run may take before it counts
 *     as failed (default 5 min, an Express execution's limit); a Standard execution still running then is
 *     stopped
 */
public record AwsSettings(Optional<String> region, Optional<String> roleArn, String architecture, String roleName,
    Trigger trigger, Duration logWait, WorkflowType workflowType, Duration workflowTimeout) {

  /**
   * The type of the workflows' state machines. EXPRESS (default) is run with StartSyncExecution, which answers
   * when the execution has ended, so the client's end-to-end time is one request's round trip with no polling
   * error, as the local engine's is; Express executions last at most 5 minutes and keep no execution history.
   * STANDARD is run with StartExecution and DescribeExecution polled every {@value
   * AwsWorkflowOrchestrator#POLL_MILLIS} ms at most, so the client's time overstates the run by up to that
   * interval plus one round trip; it is for workflows longer than 5 minutes or to compare the two types.
   */
  public enum WorkflowType {
    EXPRESS, STANDARD;

    static WorkflowType parse(String value) {
      try {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Unknown " + WORKFLOW_TYPE + " '" + value + "': use express (default, "
            + "StartSyncExecution: the run's end is the answer) or standard (StartExecution, then polling)", e);
      }
    }
  }

  /**
   * How the platform invokes functions: the SDK's Invoke API (with the log tail, so provider times come with
   * the answer), or the function's URL over HTTPS (IAM-authenticated, as SeBS's HTTP triggers; provider
   * times then come from CloudWatch Logs).
   */
  public enum Trigger {
    INVOKE, URL;

    static Trigger parse(String value) {
      try {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Unknown " + TRIGGER + " '" + value + "': use invoke (the SDK's Invoke "
            + "API, default) or url (the function's IAM-authenticated Function URL)", e);
      }
    }
  }

  public static final String REGION = "sebs.aws.region";
  public static final String ROLE = "sebs.aws.role";
  public static final String ARCHITECTURE = "sebs.aws.architecture";
  public static final String TRIGGER = "sebs.aws.trigger";
  public static final String LOG_WAIT = "sebs.aws.logWait";
  public static final String WORKFLOW_TYPE = "sebs.aws.workflowType";
  public static final String WORKFLOW_TIMEOUT = "sebs.aws.workflowTimeout";
  static final List<String> ARCHITECTURES = List.of("x86_64", "arm64");
  static final String DEFAULT_ROLE_NAME = "sebs-junit-lambda";

  public AwsSettings {
    if (!ARCHITECTURES.contains(architecture)) {
      throw new IllegalArgumentException("Unknown " + ARCHITECTURE + " '" + architecture + "': use one of "
          + ARCHITECTURES);
    }
  }

  public static AwsSettings from(SebsConfig config) {
    return new AwsSettings(config.get(REGION).filter(s -> !s.isBlank()), config.get(ROLE).filter(s -> !s.isBlank()),
        config.get(ARCHITECTURE).orElse("x86_64"), DEFAULT_ROLE_NAME,
        Trigger.parse(config.get(TRIGGER).filter(s -> !s.isBlank()).orElse("invoke")),
        config.duration(LOG_WAIT, Duration.ofSeconds(60)),
        WorkflowType.parse(config.get(WORKFLOW_TYPE).filter(s -> !s.isBlank()).orElse("express")),
        config.duration(WORKFLOW_TIMEOUT, Duration.ofMinutes(5)));
  }

  /**
   * Lambda's runtime identifier for a language and version ({@code ""} = the default: Python 3.11,
   * Node.js 20, Java 17, the versions the local platform runs here; Java also 21).
   */
  public static String runtime(Language language, String version) {
    return switch (language) {
      case PYTHON -> "python" + (version.isEmpty() ? "3.11" : version);
      case NODEJS -> "nodejs" + (version.isEmpty() ? "20" : version.replaceAll("\\.x$", "")) + ".x";
      case JAVA -> LambdaJavaRuntime.runtime(version);
    };
  }

  /**
   * A Lambda runtime's language version as SeBS writes it ("python3.11" is "3.11", "nodejs20.x" is "20"),
   * which selects per-interpreter dependency files ({@code CodePackage.forRuntime}); empty for Java.
   */
  static String sebsVersion(String runtime) {
    if (runtime.startsWith("python")) {
      return runtime.substring("python".length());
    }
    if (runtime.startsWith("nodejs")) {
      return runtime.substring("nodejs".length()).replaceAll("\\.x$", "");
    }
    return "";
  }

  /** pip's platform tag for wheels that run on this architecture's Lambda runtime. */
  String pipPlatform() {
    return architecture.equals("arm64") ? "manylinux2014_aarch64" : "manylinux2014_x86_64";
  }

  /** npm's --cpu value for native packages. */
  String npmCpu() {
    return architecture.equals("arm64") ? "arm64" : "x64";
  }
}
