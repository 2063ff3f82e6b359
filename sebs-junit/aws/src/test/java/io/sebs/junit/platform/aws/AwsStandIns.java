package io.sebs.junit.platform.aws;

import io.sebs.junit.process.Command;
import io.sebs.junit.storage.local.DynaliteServer;
import io.sebs.junit.storage.local.S3ProxyServer;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The AWS stand-ins of a contract test class, registered as a static {@code @RegisterExtension} field: the
 * Lambda/IAM/Logs stub ({@link LambdaApiStub}), optionally S3Proxy, dynalite and the Step Functions stub
 * ({@link StepFunctionsStub}), and the AWS SDK system
 * properties that point the SDK's default chains at them (static credentials, {@code aws.endpointUrl} for
 * the stub, {@code aws.endpointUrlS3} / {@code aws.endpointUrlDynamoDb} / {@code aws.endpointUrlSfn}). Started before the class's
 * {@code @BeforeAll} methods, stopped (properties cleared) after its {@code @AfterAll} methods.
 */
final class AwsStandIns implements BeforeAllCallback, AfterAllCallback {

  private final String accessKey;
  private final String secret;
  private boolean s3;
  private boolean dynamoDb;
  private boolean roleCredentials;
  private boolean stepFunctions;
  private StepFunctionsStub sfnStub;
  private final Set<String> properties = new LinkedHashSet<>();
  private Path stubDir;
  private LambdaApiStub stub;
  private S3ProxyServer s3Server;
  private DynaliteServer dynamoServer;

  private AwsStandIns(String accessKey, String secret) {
    this.accessKey = accessKey;
    this.secret = secret;
  }

  /** The stub, with {@code accessKey}/{@code secret} as the SDK's credentials. */
  static AwsStandIns stub(String accessKey, String secret) {
    return new AwsStandIns(accessKey, secret);
  }

  /** Also S3Proxy (same credentials), for S3 through {@code aws.endpointUrlS3}. */
  AwsStandIns withS3() {
    s3 = true;
    return this;
  }

  /** Also dynalite, for DynamoDB through {@code aws.endpointUrlDynamoDb}. */
  AwsStandIns withDynamoDb() {
    dynamoDb = true;
    return this;
  }

  /** Also the Step Functions stub, whose Task states invoke functions through the Lambda stub. */
  AwsStandIns withStepFunctions() {
    stepFunctions = true;
    return this;
  }

  StepFunctionsStub stepFunctions() {
    return sfnStub;
  }

  /** The stub gives functions the same credentials as Lambda gives them its role's. */
  AwsStandIns withRoleCredentials() {
    roleCredentials = true;
    return this;
  }

  LambdaApiStub stub() {
    return stub;
  }

  S3ProxyServer s3() {
    return s3Server;
  }

  DynaliteServer dynamoDb() {
    return dynamoServer;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    stubDir = Files.createTempDirectory("sebs-lambda-stub");
    stub = new LambdaApiStub(stubDir);
    stub.extras.urlCredentials(accessKey, secret); // to verify Function URL requests' signatures
    if (roleCredentials) {
      stub.roleCredentials(accessKey, secret);
    }
    property("aws.accessKeyId", accessKey);
    property("aws.secretAccessKey", secret);
    property("aws.endpointUrl", stub.endpoint().toString());
    if (s3) {
      s3Server = S3ProxyServer.start(accessKey, secret);
      property("aws.endpointUrlS3", s3Server.endpoint().toString());
    }
    if (dynamoDb) {
      dynamoServer = DynaliteServer.start(Fixtures.cacheDir());
      property("aws.endpointUrlDynamoDb", dynamoServer.endpoint().toString());
    }
    if (stepFunctions) {
      sfnStub = new StepFunctionsStub(stub.endpoint(), accessKey, secret, stub::roleTrustPolicy);
      property("aws.endpointUrlSfn", sfnStub.endpoint().toString());
    }
  }

  private void property(String key, String value) {
    System.setProperty(key, value);
    properties.add(key);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    properties.forEach(System::clearProperty);
    properties.clear();
    if (sfnStub != null) {
      sfnStub.close();
    }
    if (stub != null) {
      stub.close();
    }
    if (s3Server != null) {
      s3Server.close();
    }
    if (dynamoServer != null) {
      dynamoServer.close();
    }
    if (stubDir != null) {
      Command.deleteTree(stubDir);
    }
  }
}
