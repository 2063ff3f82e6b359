/**
 * The platform SPI: {@link io.sebs.junit.platform.Platform} (deploy, invoke, enforce a cold start,
 * close) and {@link io.sebs.junit.platform.PlatformProvider}, discovered by ServiceLoader through
 * {@link io.sebs.junit.platform.Platforms}. {@link io.sebs.junit.platform.FunctionContract} reads what
 * every wrapper answers; {@link io.sebs.junit.platform.InvocationResult} is what platforms return.
 * A provider says whether its platform can run on this machine ({@code PlatformProvider.unavailable},
 * from the {@link io.sebs.junit.platform.HostEnvironment}), so side-by-side runs skip a cloud without
 * credentials. Each platform lives in a sub-package of its own.
 */
package io.sebs.junit.platform;
