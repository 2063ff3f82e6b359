/**
 * The embedded {@code local} platform: a {@link io.sebs.junit.platform.pool.PooledPlatform} whose instances
 * ({@code ProcessInstance}) are wrapper processes serving HTTP on 127.0.0.1; packages and their
 * dependencies are built once per code hash ({@code LocalPackageBuilder}); Java instances start from the package's
 * class-data-sharing archive ({@code JavaClassDataSharing}, trained here, made by the pool kit's
 * {@code ClassDataSharingArchive}).
 */
package io.sebs.junit.platform.local;
