package io.sebs.junit.platform;

import io.sebs.junit.benchmark.WrapperSource;
import io.sebs.junit.config.SebsConfig;
import java.nio.file.Path;

/**
 * What a platform gets from the run: configuration, where wrappers come from, its cache folder, and the
 * run id (to name what it creates).
 */
public record PlatformContext(SebsConfig config, WrapperSource wrappers, Path cacheDir, String runId) {}
