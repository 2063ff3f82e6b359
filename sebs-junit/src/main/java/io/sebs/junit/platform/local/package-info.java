/**
 * The embedded {@code local} platform: {@link io.sebs.junit.platform.local.LocalPlatform} keeps, per
 * deployed function, a pool of instances ({@code LocalFunction}); each instance
 * ({@code FunctionInstance}) is a wrapper process serving HTTP on 127.0.0.1; packages and their
 * dependencies are built once per code hash ({@code LocalPackageBuilder}).
 */
package io.sebs.junit.platform.local;
