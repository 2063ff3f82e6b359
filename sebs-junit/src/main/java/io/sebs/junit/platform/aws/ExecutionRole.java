package io.sebs.junit.platform.aws;

import java.util.logging.Logger;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The IAM role functions run as: created once per account (trust: lambda.amazonaws.com; permissions: the
 * managed basic-execution policy for logs) and reused by every later run, as SeBS does.
 */
final class ExecutionRole {

  private static final Logger LOG = Logger.getLogger(ExecutionRole.class.getName());
  static final String TRUST_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
  static final String BASIC_EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

  private ExecutionRole() {}

  /** The role's ARN; created (and tagged {@code sebs-junit=true}) when it does not exist yet. */
  static String ensure(IamClient iam, String roleName) {
    try {
      return iam.getRole(r -> r.roleName(roleName)).role().arn();
    } catch (NoSuchEntityException missing) {
      LOG.info(() -> "Creating IAM role " + roleName + " for sebs-junit functions");
      String arn = iam.createRole(r -> r.roleName(roleName).assumeRolePolicyDocument(TRUST_POLICY)
          .description("Execution role of sebs-junit benchmark functions")
          .tags(Tag.builder().key(AwsPlatform.TAG).value("true").build())).role().arn();
      iam.attachRolePolicy(r -> r.roleName(roleName).policyArn(BASIC_EXECUTION_POLICY));
      return arn;
    }
  }
}
