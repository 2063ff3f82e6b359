/**
 * The platform kit for platforms that run function instances themselves: {@link
 * io.sebs.junit.platform.pool.PooledPlatform} (deploy, invoke, cold starts, keep-alive eviction, clean-up),
 * {@link io.sebs.junit.platform.pool.InstancePool} (FaaS rules over one function's instances), {@link
 * io.sebs.junit.platform.pool.FunctionInstance} (what an instance must do), {@code InstanceConnection} (the
 * one HTTP/1.1 connection an instance is invoked through), the {@link
 * io.sebs.junit.platform.pool.HttpWrapper} they run, {@link io.sebs.junit.platform.pool.PackageFolders} and a Java
 * package's {@link io.sebs.junit.platform.pool.ClassDataSharingArchive} (each platform trains it where it runs).
 * The local platform's instances are processes, the docker platform's containers; nothing else differs.
 */
package io.sebs.junit.platform.pool;
