package io.sebs.junit.platform.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.appservice.fluent.models.AppServicePlanInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteInner;
import io.sebs.junit.config.SebsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lists and removes what the azure platform left in its resource group: every function app tagged {@value
 * AzurePlatform#TAG} and its Flex Consumption plan, the runs' Blob containers {@code sebs-<run id>} in the shared
 * storage account and their Cosmos DB containers {@code sebs-<run id>-<benchmark>-<table>} in the database {@code
 * sebs-junit}, optionally only those of one run (apps by their tag {@code sebs-junit-run}, the rest by name), and,
 * when asked, the whole resource group (the shared storage account, Application Insights, the Log Analytics
 * workspace and the Cosmos DB account with it). Listing creates nothing. Also usable from the command line with the platform's settings as system
 * properties: {@code java -Dsebs.azure.subscription=... io.sebs.junit.platform.azure.AzureResources [--delete]
 * [--run <run id>] [--resource-group]} (lists by default).
 */
public final class AzureResources {

  private final AzureClients clients;
  private final AzureSharedResources shared;

  public AzureResources(AzureClients clients) {
    this.clients = clients;
    this.shared = new AzureSharedResources(clients);
  }

  /** What the platform created: its kind, name and run (empty for shared resources). */
  public record Resource(Kind kind, String name, String runId) {}

  public enum Kind { FUNCTION_APP, PLAN, BLOB_CONTAINER, COSMOS_CONTAINER, RESOURCE_GROUP }

  /** {@code sebs-<run id>}, also with a side-by-side run's {@code -<platform>}: the run id in group 1. */
  private static final java.util.regex.Pattern CONTAINER =
      java.util.regex.Pattern.compile("sebs-(\\d{8}-\\d{6}-[0-9a-f]{6}(?:-[a-z0-9]+)?)");
  /** {@code sebs-<run id>-<benchmark>-<table>}: the run id in group 1. */
  private static final java.util.regex.Pattern TABLE =
      java.util.regex.Pattern.compile("sebs-(\\d{8}-\\d{6}-[0-9a-f]{6})-.+");

  /** The tagged function apps and plans of one run, or of all ({@code runId} null). */
  public List<Resource> list(String runId) {
    String rg = clients.settings().resourceGroup();
    List<Resource> found = new ArrayList<>();
    try {
      for (SiteInner site : clients.appService().serviceClient().getWebApps().listByResourceGroup(rg)) {
        if (ours(site.tags(), runId)) {
          found.add(new Resource(Kind.FUNCTION_APP, site.name(), site.tags().get(AzurePlatform.RUN_TAG)));
        }
      }
      for (AppServicePlanInner plan : clients.appService().serviceClient().getAppServicePlans()
          .listByResourceGroup(rg)) {
        if (ours(plan.tags(), runId)) {
          found.add(new Resource(Kind.PLAN, plan.name(), plan.tags().get(AzurePlatform.RUN_TAG)));
        }
      }
    } catch (ManagementException e) {
      if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
        return found; // no resource group: nothing left
      }
      throw e;
    }
    shared.existingStorageConnectionString().ifPresent(connection -> {
      AzureBlobObjectStorage blobs = new AzureBlobObjectStorage(connection, "sebs-clean-up"); // the name is unused here
      for (String container : blobs.buckets()) {
        named(CONTAINER, Kind.BLOB_CONTAINER, container, runId).ifPresent(found::add);
      }
    });
    shared.existingCosmosAccount().ifPresent(account -> {
      try (CosmosNoSqlStorage cosmos = new CosmosNoSqlStorage(account.endpoint(), account.key(),
          AzurePlatform.DATABASE)) {
        for (String table : cosmos.tables()) {
          named(TABLE, Kind.COSMOS_CONTAINER, table, runId).ifPresent(found::add);
        }
      } catch (RuntimeException e) {
        if (!String.valueOf(e.getMessage()).contains("404") && !String.valueOf(e.getMessage()).contains("NotFound")) {
          throw e;
        }
      }
    });
    return found;
  }

  private static java.util.Optional<Resource> named(java.util.regex.Pattern pattern, Kind kind, String name,
      String runId) {
    java.util.regex.Matcher m = pattern.matcher(name);
    if (!m.matches()) {
      return java.util.Optional.empty();
    }
    String run = m.group(1);
    boolean ofRun = runId == null || run.equals(runId) || (kind == Kind.BLOB_CONTAINER && run.startsWith(runId + "-"))
        || (kind == Kind.COSMOS_CONTAINER && name.startsWith("sebs-" + runId + "-"));
    return ofRun ? java.util.Optional.of(new Resource(kind, name, run)) : java.util.Optional.empty();
  }

  private static boolean ours(Map<String, String> tags, String runId) {
    return tags != null && "true".equals(tags.get(AzurePlatform.TAG))
        && (runId == null || runId.equals(tags.get(AzurePlatform.RUN_TAG)));
  }

  /** Deletes the apps (first) and plans of one run or of all; returns what was deleted. */
  public List<Resource> delete(String runId) {
    String rg = clients.settings().resourceGroup();
    List<Resource> resources = list(runId);
    for (Resource r : resources) {
      if (r.kind() == Kind.FUNCTION_APP) {
        clients.appService().serviceClient().getWebApps().delete(rg, r.name());
      }
    }
    if (resources.stream().anyMatch(r -> r.kind() == Kind.FUNCTION_APP)) {
      // each app's deployment container, which holds its package
      shared.existingStorageConnectionString().ifPresent(connection -> {
        AzureBlobObjectStorage blobs = new AzureBlobObjectStorage(connection, "sebs-clean-up");
        resources.stream().filter(r -> r.kind() == Kind.FUNCTION_APP)
            .forEach(r -> blobs.deleteBucket(AzurePlatform.deploymentContainer(r.name())));
      });
    }
    for (Resource r : resources) {
      if (r.kind() == Kind.PLAN) {
        clients.appService().serviceClient().getAppServicePlans().delete(rg, r.name());
      }
    }
    if (resources.stream().anyMatch(r -> r.kind() == Kind.BLOB_CONTAINER)) {
      AzureBlobObjectStorage blobs = new AzureBlobObjectStorage(shared.existingStorageConnectionString().orElseThrow(),
          "sebs-clean-up");
      resources.stream().filter(r -> r.kind() == Kind.BLOB_CONTAINER).forEach(r -> blobs.deleteBucket(r.name()));
    }
    if (resources.stream().anyMatch(r -> r.kind() == Kind.COSMOS_CONTAINER)) {
      AzureStorage.CosmosAccount account = shared.existingCosmosAccount().orElseThrow();
      try (CosmosNoSqlStorage cosmos = new CosmosNoSqlStorage(account.endpoint(), account.key(), AzurePlatform.DATABASE)) {
        resources.stream().filter(r -> r.kind() == Kind.COSMOS_CONTAINER).forEach(r -> cosmos.deleteTable(r.name()));
      }
    }
    return resources;
  }

  /** Deletes the whole resource group, shared storage and telemetry included (a long-running operation). */
  public Resource deleteResourceGroup() {
    String rg = clients.settings().resourceGroup();
    clients.resources().serviceClient().getResourceGroups().delete(rg);
    return new Resource(Kind.RESOURCE_GROUP, rg, "");
  }

  /** {@code [--delete] [--run <run id>] [--resource-group]}, settings from system properties. */
  public static void main(String[] args) {
    boolean delete = false;
    boolean group = false;
    String runId = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--delete":
          delete = true;
          break;
        case "--resource-group":
          group = true;
          break;
        case "--run":
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--run needs a run id");
          }
          runId = args[++i];
          break;
        default:
          throw new IllegalArgumentException("Unknown argument " + args[i]
              + "; usage: AzureResources [--delete] [--run <run id>] [--resource-group]");
      }
    }
    try (AzureClients clients = AzureClients.create(AzureSettings.from(SebsConfig.fromSystemProperties()))) {
      AzureResources resources = new AzureResources(clients);
      List<Resource> found = delete ? resources.delete(runId) : resources.list(runId);
      for (Resource r : found) {
        System.out.println((delete ? "deleted " : "") + r.kind() + " " + r.name()
            + (r.runId() == null || r.runId().isEmpty() ? "" : " (run " + r.runId() + ")"));
      }
      if (group) {
        if (delete) {
          System.out.println("deleted " + resources.deleteResourceGroup().name());
        } else {
          System.out.println("--resource-group without --delete: would delete resource group "
              + clients.settings().resourceGroup());
        }
      }
    }
  }
}
