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
 * Lists and removes what the gcp platform left deployed: every Cloud Function in the platform's region labelled
 * {@value GcpPlatform#TAG}, optionally only those of one run (label {@code sebs-junit-run}). Also usable from the
 * command line with the platform's settings as system properties: {@code java -Dsebs.gcp.project=... ...
 * io.sebs.junit.platform.gcp.GcpResources [--delete] [--run <run id>]} (lists by default).
 */
public final class GcpResources {

  private final GcpClients clients;

  public GcpResources(GcpClients clients) {
    this.clients = clients;
  }

  /** What the platform created: its kind, name (the resource's full name) and run. */
  public record Resource(Kind kind, String name, String runId) {}

  public enum Kind { FUNCTION }

  /** The labelled functions, of one run or of all ({@code runId} null). */
  public List<Resource> list(String runId) {
    List<Resource> found = new ArrayList<>();
    String filter = "labels." + GcpPlatform.TAG + ":*"
        + (runId == null ? "" : " AND labels." + GcpPlatform.RUN_LABEL + "=" + runId);
    for (Function f : clients.functions().listFunctions(ListFunctionsRequest.newBuilder()
        .setParent(clients.location()).setFilter(filter).build()).iterateAll()) {
      String run = f.getLabelsMap().getOrDefault(GcpPlatform.RUN_LABEL, "");
      // checked here too, so a server that ignores the filter cannot widen the deletion
      if (f.getLabelsMap().containsKey(GcpPlatform.TAG) && (runId == null || runId.equals(run))) {
        found.add(new Resource(Kind.FUNCTION, f.getName(), run));
      }
    }
    return found;
  }

  /** Deletes what {@link #list} finds and returns it. */
  public List<Resource> delete(String runId) {
    List<Resource> deleted = new ArrayList<>();
    for (Resource r : list(runId)) {
      try {
        clients.functions().deleteFunctionAsync(r.name()).get(clients.settings().deployTimeout().toMillis(),
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
    try (GcpClients clients = GcpClients.create(GcpSettings.from(SebsConfig.fromSystemProperties()))) {
      GcpResources resources = new GcpResources(clients);
      List<Resource> result = delete ? resources.delete(run) : resources.list(run);
      for (Resource r : result) {
        System.out.println((delete ? "deleted " : "") + r.kind() + " " + r.name() + " (run " + r.runId() + ")");
      }
    }
  }
}
