package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.HostEnvironment;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.PlatformProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Registers {@link GcpPlatform} as {@code sebs.platform=gcp}. */
public final class GcpPlatformProvider implements PlatformProvider {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A {@code project = ...} line of a gcloud configuration. */
  private static final Pattern PROJECT_LINE = Pattern.compile("(?m)^\\s*project\\s*=\\s*(\\S+)");

  @Override
  public String name() {
    return GcpPlatform.NAME;
  }

  @Override
  public Platform create(PlatformContext context) {
    GcpSettings settings = GcpSettings.from(context.config());
    return new GcpPlatform(context, settings, GcpClients.create(settings));
  }

  @Override
  public Optional<String> unavailable(SebsConfig config) {
    return unavailable(config, HostEnvironment.current());
  }

  /**
   * Unavailable when {@link GcpCredentials#resolve} would find no credentials or no project here; only the
   * presence of files and variables is checked, never the credentials' validity. Credentials: the key file
   * {@code sebs.gcp.credentials}, else Application Default Credentials' sources: {@code
   * GOOGLE_APPLICATION_CREDENTIALS}, gcloud's ADC file ({@code application_default_credentials.json} in
   * {@code CLOUDSDK_CONFIG} or {@code ~/.config/gcloud}), or the metadata server when {@code
   * GCE_METADATA_HOST} names it. Project: {@code sebs.gcp.project}, a service-account key's {@code
   * project_id}, {@code GOOGLE_CLOUD_PROJECT} or {@code GCLOUD_PROJECT}, gcloud's active configuration, or the
   * metadata server.
   */
  static Optional<String> unavailable(SebsConfig config, HostEnvironment host) {
    Path gcloud = host.variable("CLOUDSDK_CONFIG").map(Path::of).orElse(host.inHome(".config/gcloud"));
    boolean metadata = host.anyVariable("GCE_METADATA_HOST");
    Optional<Path> keyFile;
    if (config.get(GcpSettings.CREDENTIALS).isPresent()) {
      Path file = Path.of(config.get(GcpSettings.CREDENTIALS).get());
      if (!Files.isRegularFile(file)) {
        return Optional.of(GcpSettings.CREDENTIALS + " names " + file + ", which is not a file: point it at a"
            + " service-account key file, or unset it to use Application Default Credentials");
      }
      keyFile = Optional.of(file);
    } else {
      Optional<String> named = host.variable("GOOGLE_APPLICATION_CREDENTIALS");
      if (named.isPresent() && !Files.isRegularFile(Path.of(named.get()))) {
        return Optional.of("GOOGLE_APPLICATION_CREDENTIALS names " + named.get() + ", which is not a file: point it"
            + " at a service-account key file, or unset it to use gcloud's credentials");
      }
      Path adc = gcloud.resolve("application_default_credentials.json");
      keyFile = named.map(Path::of).or(() -> Optional.of(adc).filter(Files::isRegularFile));
      if (keyFile.isEmpty() && !metadata) {
        return Optional.of("no Google credentials found (no " + GcpSettings.CREDENTIALS
            + ", GOOGLE_APPLICATION_CREDENTIALS or " + adc + "). " + GcpCredentials.HOW_TO_PROVIDE);
      }
    }
    boolean project = config.get(GcpSettings.PROJECT).isPresent()
        || keyFile.flatMap(GcpPlatformProvider::serviceAccountProject).isPresent()
        || config.get("GOOGLE_CLOUD_PROJECT").isPresent() || config.get("GCLOUD_PROJECT").isPresent()
        || host.anyVariable("GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT")
        || host.variable("GOOGLE_APPLICATION_CREDENTIALS").map(Path::of)
            .flatMap(GcpPlatformProvider::serviceAccountProject).isPresent()
        || gcloudProject(gcloud).isPresent() || metadata;
    if (!project) {
      return Optional.of("no Google Cloud project (no " + GcpSettings.PROJECT + ", GOOGLE_CLOUD_PROJECT, project_id"
          + " in a service-account key or gcloud project): set -D" + GcpSettings.PROJECT + "=<project id>, or"
          + " `gcloud config set project <id>`");
    }
    return Optional.empty();
  }

  /** The {@code project_id} of a service-account key file (ADC's user credentials name none). */
  private static Optional<String> serviceAccountProject(Path keyFile) {
    try {
      JsonNode key = JSON.readTree(keyFile.toFile());
      return key.path("type").asText().equals("service_account")
          ? Optional.of(key.path("project_id").asText()).filter(p -> !p.isBlank())
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not JSON: resolving the credentials will say so
    }
  }

  /** The project of gcloud's active configuration ({@code active_config}, default {@code default}). */
  private static Optional<String> gcloudProject(Path gcloud) {
    try {
      Path active = gcloud.resolve("active_config");
      String name = Files.isRegularFile(active) ? Files.readString(active).strip() : "default";
      Path properties = gcloud.resolve("configurations").resolve("config_" + (name.isEmpty() ? "default" : name));
      if (!Files.isRegularFile(properties)) {
        return Optional.empty();
      }
      Matcher line = PROJECT_LINE.matcher(Files.readString(properties));
      return line.find() ? Optional.of(line.group(1)) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
