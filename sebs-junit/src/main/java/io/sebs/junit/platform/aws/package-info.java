/**
 * The AWS Lambda platform ({@code sebs.platform=aws}): packages a benchmark with the Lambda wrapper into a
 * zip (Python and Node.js files with their dependencies; Java as {@link
 * io.sebs.junit.platform.aws.LambdaJavaRuntime} lays out the Maven build: classes at the root, jars in
 * {@code lib/}), deploys it with the AWS SDK v2 (an IAM role created once and reused), invokes it with the log tail
 * and reads Lambda's REPORT line for provider, billed and init times. Every client honours the SDK's
 * standard endpoint overrides, so the whole platform can run against local stand-ins.
 */
package io.sebs.junit.platform.aws;
