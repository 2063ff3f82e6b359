/**
 * The AWS Lambda platform ({@code sebs.platform=aws}): packages a benchmark with the Lambda wrapper into a
 * zip (Python and Node.js files with their dependencies; Java as {@link
 * io.sebs.junit.platform.aws.LambdaJavaRuntime} lays out the Maven build: classes at the root, jars in
 * {@code lib/}), deploys it with the AWS SDK v2 (an IAM role created once and reused; packages over 50 MB
 * through the account's deployment bucket), and invokes it with the SDK and the log tail, or through its
 * IAM-authenticated Function URL with provider times downloaded from CloudWatch Logs. Lambda's REPORT line
 * gives provider, billed and init times. Every client honours the SDK's standard endpoint overrides, so the
 * whole platform can run against local stand-ins. Workflows run as AWS Step Functions state machines
 * ({@link io.sebs.junit.platform.aws.AwsWorkflowOrchestrator}). Start with {@link io.sebs.junit.platform.aws.AwsPlatform}.
 */
package io.sebs.junit.platform.aws;
