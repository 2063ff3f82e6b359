package io.sebs.junit.platform.aws;

import java.util.logging.Logger;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The IAM role functions run as: created once per account (trust: lambda.amazonaws.com; permissions: the
 * managed basic-execution policy for logs) and reused by every later run, as SeBS does. Its inline policy
 * {@value #STORAGE_POLICY_NAME} lets functions use the runs' S3 buckets and DynamoDB tables, which are all
 * named {@code sebs-*}; each run reads it (GetRolePolicy) and puts it only when it is missing or differs, so
 * roles created before it existed get it too, and an unchanged role is not modified (a modified role can be
 * refused by Lambda for seconds while IAM propagates it: see {@link RolePropagation}).
 */
final class ExecutionRole {

  private static final Logger LOG = Logger.getLogger(ExecutionRole.class.getName());
  static final String TRUST_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
  static final String BASIC_EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

  static final String STORAGE_POLICY_NAME = "sebs-junit-storage";
  static final String STORAGE_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
      + "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\","
      + "\"s3:ListBucket\",\"s3:AbortMultipartUpload\",\"s3:ListMultipartUploadParts\"],"
      + "\"Resource\":[\"arn:aws:s3:::sebs-*\",\"arn:aws:s3:::sebs-*/*\"]},"
      + "{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\",\"dynamodb:PutItem\",\"dynamodb:UpdateItem\","
      + "\"dynamodb:DeleteItem\",\"dynamodb:Query\",\"dynamodb:Scan\",\"dynamodb:DescribeTable\"],"
      + "\"Resource\":[\"arn:aws:dynamodb:*:*:table/sebs-*\"]}]}";

  private ExecutionRole() {}

  /** The role's ARN; created (and tagged {@code sebs-junit=true}) when it does not exist yet. */
  static String ensure(IamClient iam, String roleName) {
    String arn = existingOrCreated(iam, roleName);
    if (!hasStoragePolicy(iam, roleName)) {
      LOG.info(() -> "Putting the inline policy " + STORAGE_POLICY_NAME + " on role " + roleName);
      iam.putRolePolicy(r -> r.roleName(roleName).policyName(STORAGE_POLICY_NAME).policyDocument(STORAGE_POLICY));
    }
    return arn;
  }

  /** Whether the role's inline storage policy is the current one (compared as JSON, not as text). */
  static boolean hasStoragePolicy(IamClient iam, String roleName) {
    return hasInlinePolicy(iam, roleName, STORAGE_POLICY_NAME, STORAGE_POLICY);
  }

  /** Whether the role has the inline policy {@code policyName} with {@code expected} as its document (as JSON). */
  static boolean hasInlinePolicy(IamClient iam, String roleName, String policyName, String expected) {
    String document;
    try {
      document = iam.getRolePolicy(r -> r.roleName(roleName).policyName(policyName)).policyDocument();
    } catch (NoSuchEntityException missing) {
      return false;
    }
    // IAM returns policy documents URL-encoded (RFC 3986)
    String decoded = document.trim().startsWith("{") ? document
        : java.net.URLDecoder.decode(document, java.nio.charset.StandardCharsets.UTF_8);
    try {
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      return json.readTree(decoded).equals(json.readTree(expected));
    } catch (java.io.IOException notJson) {
      return false;
    }
  }

  private static String existingOrCreated(IamClient iam, String roleName) {
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
