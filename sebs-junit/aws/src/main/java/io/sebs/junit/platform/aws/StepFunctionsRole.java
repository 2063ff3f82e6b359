package io.sebs.junit.platform.aws;

import java.util.logging.Logger;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The IAM role Step Functions runs the workflows' state machines as, kept like the functions' {@link
 * ExecutionRole}: created once per account (trust: states.amazonaws.com) and reused by every later run. Its
 * inline policy {@value #INVOKE_POLICY_NAME} lets it invoke the platform's Lambda functions, all named
 * {@code sebs-*}, so no workflow changes the role (a changed role is refused for seconds while IAM
 * propagates it); each run reads the policy and puts it only when it is missing or differs.
 */
final class StepFunctionsRole {

  private static final Logger LOG = Logger.getLogger(StepFunctionsRole.class.getName());
  static final String DEFAULT_NAME = "sebs-junit-step-functions";
  static final String TRUST_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Principal\":{\"Service\":\"states.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
  static final String INVOKE_POLICY_NAME = "sebs-junit-invoke-functions";
  static final String INVOKE_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
      + "{\"Effect\":\"Allow\",\"Action\":[\"lambda:InvokeFunction\"],"
      + "\"Resource\":[\"arn:aws:lambda:*:*:function:sebs-*\",\"arn:aws:lambda:*:*:function:sebs-*:*\"]}]}";

  private StepFunctionsRole() {}

  /** The role's ARN; the role is created (tagged {@code sebs-junit=true}) and its policy put when needed. */
  static String ensure(IamClient iam, String roleName) {
    String arn;
    try {
      arn = iam.getRole(r -> r.roleName(roleName)).role().arn();
    } catch (NoSuchEntityException missing) {
      LOG.info(() -> "Creating IAM role " + roleName + " for sebs-junit's Step Functions state machines");
      arn = iam.createRole(r -> r.roleName(roleName).assumeRolePolicyDocument(TRUST_POLICY)
          .description("Role of sebs-junit's workflow state machines: invokes the sebs-* Lambda functions")
          .tags(Tag.builder().key(AwsPlatform.TAG).value("true").build())).role().arn();
    }
    if (!ExecutionRole.hasInlinePolicy(iam, roleName, INVOKE_POLICY_NAME, INVOKE_POLICY)) {
      LOG.info(() -> "Putting the inline policy " + INVOKE_POLICY_NAME + " on role " + roleName);
      iam.putRolePolicy(r -> r.roleName(roleName).policyName(INVOKE_POLICY_NAME).policyDocument(INVOKE_POLICY));
    }
    return arn;
  }
}
