package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.config.SebsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The cloudflare-local platform's configuration keys, checked when the platform is created so a wrong value
 * fails with the key and the fix, not later in workerd's own words.
 *
 * @param workerd a workerd binary to run instead of the one installed from npm ({@value #WORKERD})
 * @param compatibilityDate the Workers compatibility date of every Worker ({@value #COMPATIBILITY_DATE},
 *     default {@value #DEFAULT_COMPATIBILITY_DATE}); workerd refuses dates after its own release
 * @param keepAlive idle time after which a workerd instance is stopped ({@value #KEEP_ALIVE}, default 60 s)
 * @param startTimeout how long a workerd process may take to listen ({@value #START_TIMEOUT}, default 30 s)
 * @param maxInstances cap on workerd processes per function ({@value #MAX_INSTANCES}, default 8)
 */
public record CloudflareSettings(Optional<Path> workerd, LocalDate compatibilityDate, Duration keepAlive,
    Duration startTimeout, int maxInstances) {

  public static final String WORKERD = "sebs.cloudflare.workerd";
  public static final String COMPATIBILITY_DATE = "sebs.cloudflare.compatibilityDate";
  public static final String KEEP_ALIVE = "sebs.cloudflare.keepAlive";
  public static final String START_TIMEOUT = "sebs.cloudflare.startTimeout";
  public static final String MAX_INSTANCES = "sebs.cloudflare.maxInstances";
  /** Pinned so a Worker behaves the same whichever workerd runs it (not newer than the pinned workerd). */
  public static final String DEFAULT_COMPATIBILITY_DATE = "2026-11-01";

  public CloudflareSettings {
    if (workerd.isPresent() && !Files.isExecutable(workerd.get())) {
      throw new IllegalArgumentException(WORKERD + " names " + workerd.get() + ", which is not an executable"
          + " file: give the path of a workerd binary, or remove the setting to install workerd from npm");
    }
    if (maxInstances < 1) {
      throw new IllegalArgumentException(MAX_INSTANCES + " must be at least 1, was " + maxInstances);
    }
  }

  public static CloudflareSettings from(SebsConfig config) {
    Optional<Path> workerd = config.get(WORKERD).filter(s -> !s.isBlank()).map(s -> Path.of(s.trim()));
    String date = config.get(COMPATIBILITY_DATE).filter(s -> !s.isBlank()).orElse(DEFAULT_COMPATIBILITY_DATE);
    LocalDate compatibilityDate;
    try {
      compatibilityDate = LocalDate.parse(date.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(COMPATIBILITY_DATE + " must be a date as YYYY-MM-DD (e.g. "
          + DEFAULT_COMPATIBILITY_DATE + "), was '" + date + "'", e);
    }
    double max = config.doubleValue(MAX_INSTANCES, 8);
    if (max != Math.rint(max)) {
      throw new IllegalArgumentException(MAX_INSTANCES + " must be a whole number, was " + max);
    }
    return new CloudflareSettings(workerd, compatibilityDate, config.duration(KEEP_ALIVE, Duration.ofSeconds(60)),
        config.duration(START_TIMEOUT, Duration.ofSeconds(30)), (int) max);
  }
}
