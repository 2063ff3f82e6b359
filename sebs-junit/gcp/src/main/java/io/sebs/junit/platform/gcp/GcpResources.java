package io.sebs.junit.platform.gcp;

import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.functions.v2.Function;
import com.google.cloud.functions.v2.ListFunctionsRequest;
import io.sebs.junit.config.SebsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lists and removes what the gcp platform left: every Cloud Function and every Google workflow in the platform's
 * region labelled {@value GcpPlatform#TAG}, the runs' buckets {@code sebs-<run id>} (emptied first) and, in the Datastore database the runs
 * used, their kinds {@code sebs-<run id>-<benchmark>-<table>} (every entity deleted), optionally only those of one
 * run (functions by their label {@code sebs-junit-run}, the rest by name; a run id is {@code yyyyMMdd-HHmmss-<6
 * hex>}). The database itself is never deleted: it is the project's ({@code (default)}) or one given with {@code
 * sebs.gcp.datastoreDatabase}. Also usable from the command line with the platform's settings as system
 * properties: {@code java -Dsebs.gcp.project=... ... io.sebs.junit.platform.gcp.GcpResources [--delete] [--run
 * <run id>]} (lists by default).
 */
public final class GcpResources {

  /** {@code sebs-<run id>}, the run id in group 1. */
  private static final java.util.regex.Pattern BUCKET =
      java.util.regex.Pattern.compile("sebs-(\\d{8}-\\d{6}-[0-9a-f]{6})");
  /** {@code sebs-<run id>-<benchmark>-<table>}. */
  private static final java.util.regex.Pattern KIND =
      java.util.regex.Pattern.compile("sebs-(\\d{8}-\\d{6}-[0-9a-f]{6})-.+");

  private final GcpClients clients;
  private final String database;

  /** Functions, buckets and the kinds in the {@code (default)} database. */
  public GcpResources(GcpClients clients) {
    this(clients, null);
  }

  /** Functions, buckets and the kinds in {@code database} (null or blank: {@code (default)}). */
  public GcpResources(GcpClients clients, String database) {
    this.clients = clients;
    this.database = database;
  }

  /** What the platform created: its kind, name (a function's full name) and run. */
  public record Resource(Kind kind, String name, String runId) {}

  public enum Kind { FUNCTION, WORKFLOW, BUCKET, KIND }

  private GcsObjectStorage storage;
  private DatastoreNoSqlStorage datastore;

  private synchronized GcsObjectStorage storage() {
    if (storage != null) {
      return storage;
    }
    return storage = new GcsObjectStorage(clients.endpoint("storage").map(Object::toString).orElse(null),
        clients.credentials().google(), clients.project(), "", clients.settings().region());
  }

  private synchronized DatastoreNoSqlStorage datastore() {
    if (datastore != null) {
      return datastore;
    }
    return datastore = new DatastoreNoSqlStorage(clients.endpoint("datastore").map(Object::toString).orElse(null),
        clients.project(), database, clients.credentials().google());
  }

  /** The labelled functions, then the runs' buckets and kinds, of one run or of all ({@code runId} null). */
  public List<Resource> list(String runId) {
    List<Resource> found = functions(runId);
    found.addAll(workflows(runId));
    for (String bucket : storage().buckets()) {
      named(BUCKET, Kind.BUCKET, bucket, runId).ifPresent(found::add);
    }
    for (String kind : datastore().tables()) {
      named(KIND, Kind.KIND, kind, runId).ifPresent(found::add);
    }
    return found;
  }

  private static java.util.Optional<Resource> named(java.util.regex.Pattern pattern, Kind kind, String name,
      String runId) {
    java.util.regex.Matcher m = pattern.matcher(name);
    if (m.matches() && (runId == null || runId.equals(m.group(1)))) {
      return java.util.Optional.of(new Resource(kind, name, m.group(1)));
    }
    return java.util.Optional.empty();
  }

  private List<Resource> functions(String runId) {
    List<Resource> found = new ArrayList<>();
    // no server-side filter: label keys with hyphens are not reliably accepted in list filters, and one refused
    // filter would abort the whole clean-up; the labels are checked here
    for (Function f : clients.functions().listFunctions(ListFunctionsRequest.newBuilder()
        .setParent(clients.location()).build()).iterateAll()) {
      String run = f.getLabelsMap().getOrDefault(GcpPlatform.RUN_LABEL, "");
      if (f.getLabelsMap().containsKey(GcpPlatform.TAG) && (runId == null || runId.equals(run))) {
        found.add(new Resource(Kind.FUNCTION, f.getName(), run));
      }
    }
    return found;
  }

  private List<Resource> workflows(String runId) {
    List<Resource> found = new ArrayList<>();
    for (com.google.cloud.workflows.v1.Workflow w : clients.workflows().listWorkflows(
        com.google.cloud.workflows.v1.ListWorkflowsRequest.newBuilder().setParent(clients.location()).build())
        .iterateAll()) {
      String run = w.getLabelsMap().getOrDefault(GcpPlatform.RUN_LABEL, "");
      if (w.getLabelsMap().containsKey(GcpPlatform.TAG) && (runId == null || runId.equals(run))) {
        found.add(new Resource(Kind.WORKFLOW, w.getName(), run));
      }
    }
    return found;
  }

  /** Deletes what {@link #list} finds and returns it. */
  public List<Resource> delete(String runId) {
    List<Resource> deleted = new ArrayList<>();
    for (Resource r : list(runId)) {
      if (r.kind() == Kind.BUCKET) {
        storage().deleteBucket(r.name());
        deleted.add(r);
        continue;
      }
      if (r.kind() == Kind.KIND) {
        datastore().deleteTable(r.name());
        deleted.add(r);
        continue;
      }
      try {
        (r.kind() == Kind.WORKFLOW ? clients.workflows().deleteWorkflowAsync(r.name())
            : clients.functions().deleteFunctionAsync(r.name())).get(clients.settings().deployTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof NotFoundException)) {
          throw new IllegalStateException("Cannot delete " + r.name() + ": " + e.getCause().getMessage(), e.getCause());
        }
      } catch (NotFoundException alreadyGone) {
        // deleted concurrently: the goal is reached
      } catch (TimeoutException e) {
        throw new IllegalStateException("Deleting " + r.name() + " did not finish within "
            + clients.settings().deployTimeout().toSeconds() + " s", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted deleting " + r.name(), e);
      }
      deleted.add(r);
    }
    return deleted;
  }

  /** {@code [--delete] [--run <run id>]}: prints what is (or was) there, one resource per line. */
  public static void main(String[] args) {
    boolean delete = false;
    String run = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--delete")) {
        delete = true;
      } else if (args[i].equals("--run") && i + 1 < args.length) {
        run = args[++i];
      } else {
        System.err.println("Usage: GcpResources [--delete] [--run <run id>]");
        System.exit(2);
      }
    }
    SebsConfig config = SebsConfig.fromSystemProperties();
    try (GcpClients clients = GcpClients.create(GcpSettings.from(config))) {
      GcpResources resources = new GcpResources(clients, config.get(GcpStorage.DATASTORE_DATABASE).orElse(null));
      List<Resource> result = delete ? resources.delete(run) : resources.list(run);
      for (Resource r : result) {
        System.out.println((delete ? "deleted " : "") + r.kind() + " " + r.name() + " (run " + r.runId() + ")");
      }
    }
  }
}
