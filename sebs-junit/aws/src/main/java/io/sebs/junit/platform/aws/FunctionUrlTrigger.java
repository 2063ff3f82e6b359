package io.sebs.junit.platform.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.platform.ClientClock;
import io.sebs.junit.platform.FunctionContract;
import io.sebs.junit.platform.InvocationResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.GetFunctionUrlConfigResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Invokes functions through their Function URL, the HTTP trigger SeBS measures ({@code sebs.aws.trigger=url}).
 * The URL is created on first use with auth type {@code AWS_IAM}, never {@code NONE} (which would make the
 * function callable by anyone on the internet); an existing {@code NONE} URL is switched to {@code AWS_IAM}.
 * Each request is signed with SigV4 (the SDK's signer, service {@code lambda}) with the default chain's
 * credentials, whose identity needs {@code lambda:InvokeFunctionUrl} (and, for URLs created since October
 * 2025, {@code lambda:InvokeFunction}). The body is the event as JSON; Lambda
 * hands the wrapper an HTTP event, which the wrappers unwrap, and returns the wrapper's JSON answer as the
 * response body. Nothing here gives provider times: there is no log tail, so they come from CloudWatch Logs
 * afterwards ({@link LambdaLogReports}).
 */
final class FunctionUrlTrigger implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(FunctionUrlTrigger.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LambdaClient lambda;
  private final Region region;
  private final AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final SdkHttpClient http = UrlConnectionHttpClient.builder().build();
  private final Map<String, URI> urls = new ConcurrentHashMap<>();

  FunctionUrlTrigger(LambdaClient lambda, Region region) {
    this.lambda = lambda;
    this.region = region;
  }

  /** The function's URL, created (or switched to IAM authentication) on first use. */
  URI url(String functionName) {
    return urls.computeIfAbsent(functionName, this::ensure);
  }

  private URI ensure(String functionName) {
    GetFunctionUrlConfigResponse existing;
    try {
      existing = lambda.getFunctionUrlConfig(r -> r.functionName(functionName));
    } catch (ResourceNotFoundException none) {
      LOG.info(() -> "Creating the IAM-authenticated Function URL of " + functionName);
      return URI.create(lambda.createFunctionUrlConfig(r -> r.functionName(functionName)
          .authType(FunctionUrlAuthType.AWS_IAM)).functionUrl());
    }
    if (existing.authType() != FunctionUrlAuthType.AWS_IAM) {
      LOG.warning(() -> "The Function URL of " + functionName + " had auth type " + existing.authTypeAsString()
          + " (public): switching it to AWS_IAM");
      lambda.updateFunctionUrlConfig(r -> r.functionName(functionName).authType(FunctionUrlAuthType.AWS_IAM));
    }
    return URI.create(existing.functionUrl());
  }

  /** One signed POST of {@code body}; never throws for a failed invocation. */
  InvocationResult invoke(String functionName, byte[] body) {
    String clientId = UUID.randomUUID().toString();
    URI url = url(functionName);
    SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(url)
        .putHeader("Content-Type", "application/json")
        .putHeader("Content-Length", Integer.toString(body.length)).build();
    SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials()).request(request)
        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
    ClientClock.Stopwatch clock = ClientClock.start();
    long clientBegin = clock.beginEpochMicros();
    int status;
    String answer;
    String requestId;
    try {
      HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
          .contentStreamProvider(signed.payload().orElse(null)).build()).call();
      status = response.httpResponse().statusCode();
      try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
        answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      requestId = response.httpResponse().firstMatchingHeader("x-amzn-RequestId").orElse(clientId);
    } catch (IOException | RuntimeException e) {
      return InvocationResult.failedBeforeAnswer(clientId, clientBegin, clock.elapsedMicros(),
          "Function URL request to " + url + " failed: " + e.getMessage());
    }
    long clientMicros = clock.elapsedMicros();
    if (status == 429) {
      return InvocationResult.failedBeforeAnswer(requestId, clientBegin, clientMicros,
          "throttled by the platform (concurrency or request rate limit): HTTP 429 " + answer);
    }
    if (status == 403) {
      return InvocationResult.failedBeforeAnswer(requestId, clientBegin, clientMicros, "the Function URL refused "
          + "the signed request (HTTP 403): the caller's identity needs lambda:InvokeFunctionUrl (and, for URLs "
          + "created since October 2025, lambda:InvokeFunction) on " + functionName + ". Answer: " + answer);
    }
    if (status / 100 != 2) {
      return InvocationResult.failedBeforeAnswer(requestId, clientBegin, clientMicros,
          "Function URL answered HTTP " + status + " (502 is Lambda's answer to an unhandled function error): "
              + answer);
    }
    try {
      return FunctionContract.read(JSON.readTree(answer), requestId, clientBegin, clientMicros);
    } catch (IOException | RuntimeException e) {
      return InvocationResult.failedBeforeAnswer(requestId, clientBegin, clientMicros,
          "the function's answer is not the function contract's JSON: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
