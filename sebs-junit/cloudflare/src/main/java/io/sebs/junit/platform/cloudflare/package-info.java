/**
 * The {@code cloudflare} platform ({@link io.sebs.junit.platform.cloudflare.CloudflarePlatform}: Workers uploaded
 * through Cloudflare's API, {@code CloudflareApi}, {@code WorkerUpload}, R2 in {@code CloudflareR2Storage}, NoSQL in
 * the run's sebs-nosql Worker deployed with its Durable Objects, {@code DeployedNoSqlWorker}) and the
 * {@code cloudflare-local} platform: Cloudflare Workers run on this machine by workerd. Start with
 * {@link io.sebs.junit.platform.cloudflare.CloudflareLocalPlatform}; {@code WorkerBundle} packages a Node.js
 * benchmark as one ES module with esbuild (with {@code SharpPolyfill}, sharp's stand-in, and
 * {@code ImplicitGlobals}, SeBS's undeclared variables made globals), {@code WorkerdConfig} writes workerd's configuration,
 * {@code WorkerdInstance} is one workerd process (one isolate), {@link
 * io.sebs.junit.platform.cloudflare.WorkersTools} installs workerd and esbuild from npm and
 * {@link io.sebs.junit.platform.cloudflare.CloudflareSettings} reads {@code sebs.cloudflare.*}.
 */
package io.sebs.junit.platform.cloudflare;
