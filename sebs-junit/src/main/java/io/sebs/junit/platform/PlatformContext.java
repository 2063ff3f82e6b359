package io.sebs.junit.platform;

import io.sebs.junit.benchmark.WrapperSource;
import io.sebs.junit.config.SebsConfig;
import java.nio.file.Path;

/** What a platform gets from the run: configuration, where wrappers come from, and its cache folder. */
public record PlatformContext(SebsConfig config, WrapperSource wrappers, Path cacheDir) {}
