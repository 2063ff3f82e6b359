package io.sebs.junit.platform.local;

import io.sebs.junit.config.SebsConfig;
import java.time.Duration;

/**
 * The local platform's configuration keys ({@code sebs.local.*}), read and checked once when the platform
 * starts, like every platform's settings.
 *
 * @param keepAlive idle time after which an instance is evicted ({@value SebsConfig#LOCAL_KEEP_ALIVE})
 * @param startTimeout how long an instance may take to listen ({@value SebsConfig#LOCAL_START_TIMEOUT})
 * @param maxInstances cap on running instances per function ({@value SebsConfig#LOCAL_MAX_INSTANCES})
 * @param enforceMemory whether the memory size is applied as an address-space limit
 *     ({@value SebsConfig#LOCAL_ENFORCE_MEMORY}, Python)
 * @param javaCds whether Java instances start from an application class-data-sharing archive
 *     ({@value SebsConfig#LOCAL_JAVA_CDS}, {@link JavaClassDataSharing})
 */
public record LocalSettings(Duration keepAlive, Duration startTimeout, int maxInstances, boolean enforceMemory,
    boolean javaCds) {

  public static LocalSettings from(SebsConfig config) {
    return new LocalSettings(config.localKeepAlive(), config.localStartTimeout(), config.localMaxInstances(),
        config.localEnforceMemory(), config.localJavaCds());
  }
}
