package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.process.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A benchmark packaged as a Worker, in a package folder holding the wrapper ({@value #ENTRY}) and the
 * benchmark's code under {@code function/} with its node_modules: esbuild bundles both into one ES module
 * ({@value #BUNDLE}) with a source map, and the modules workerd loads are that bundle, the map (as
 * {@value #SOURCE_MAP_MODULE}, for the wrapper's error frames), and every other file under function/ as a
 * data module, so the benchmark's {@code fs} reads of its own files (110's template) find them under
 * {@code /bundle/function/}, where {@code __dirname} points. {@code __dirname} and {@code __filename} are
 * replaced in every bundled file (node_modules too) by the function's: a bundle has one place. Two translations let
 * SeBS's Node.js code run unchanged: a function using sharp (native code) gets the wrapper's polyfill of it
 * ({@link SharpPolyfill}), and variables it assigns undeclared, which sloppy-mode CommonJS makes globals but the strict
 * bundle refuses, are made globals before it loads ({@link ImplicitGlobals}).
 */
final class WorkerBundle {

  /** The wrapper, the bundle's entry point. */
  static final String ENTRY = "worker.js";
  static final String BUNDLE = "bundle/worker.js";
  static final String SOURCE_MAP_MODULE = "sebs-sourcemap.json";
  /** Where the Worker's modules appear in its file system (workerd's node:fs). */
  static final String BUNDLE_ROOT = "/bundle";

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(WorkerBundle.class.getName());

  private WorkerBundle() {}

  /** esbuild's arguments after the entry point: what a bundle is made with. */
  private static final List<String> OPTIONS = List.of("--bundle", "--format=esm", "--platform=node",
      "--sourcemap=external", "--external:" + SOURCE_MAP_MODULE, "--external:node:*",
      "--define:__dirname=\"" + BUNDLE_ROOT + "/function\"",
      "--define:__filename=\"" + BUNDLE_ROOT + "/function/function.js\"",
      "--log-level=warning", "--outfile=" + BUNDLE);

  /**
   * Names the way bundles are made (esbuild's version and options, the sharp polyfill's libraries, the implicit
   * globals' translation): package folders are kept per code hash, so a
   * bundle made another way (an upgraded esbuild, other options) must not be taken for this one.
   */
  static String buildId() {
    String options = WorkersTools.ESBUILD_VERSION + " " + String.join(" ", OPTIONS) + " " + SharpPolyfill.buildId()
        + " implicit-globals";
    try {
      return "esbuild-" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(options.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The module the platform writes for the wrapper: the top-level files of function/ by name, each required on demand. */
  static final String FUNCTIONS = "sebs-functions.js";

  /** A benchmark's Worker, bundled in its package folder (kept per code hash), and the code it was made from. */
  record Prepared(io.sebs.junit.platform.pool.PackageFolders.ReadyFolder folder,
      io.sebs.junit.benchmark.CodePackage code) {

    Path directory() {
      return folder.directory();
    }
  }

  /**
   * The wrapper and the benchmark's Node.js code (with the storage modules it uses) in a package folder under the
   * cache, with their npm dependencies, bundled: the same Worker whether workerd serves it here or Cloudflare does.
   */
  static Prepared prepare(io.sebs.junit.platform.PlatformContext context, Path esbuild,
      io.sebs.junit.benchmark.FunctionSpec spec) {
    java.util.Map<String, byte[]> wrapper = new java.util.TreeMap<>(context.wrappers().files(
        CloudflareLocalPlatform.WRAPPER, io.sebs.junit.benchmark.Language.NODEJS));
    wrapper.keySet().removeIf(path -> !io.sebs.junit.storage.StorageModules.shipsWrapperFile(path, spec));
    io.sebs.junit.benchmark.CodePackage code = io.sebs.junit.benchmark.CodePackage.assemble(wrapper,
        spec.benchmark().codeDirectory(io.sebs.junit.benchmark.Language.NODEJS));
    io.sebs.junit.platform.pool.PackageFolders.ReadyFolder folder =
        io.sebs.junit.platform.pool.PackageFolders.readyFolder(
            context.cacheDir().resolve("cloudflare").resolve(buildId()), spec.packageName(), code, dir -> {
              boolean sharp = SharpPolyfill.usedBy(dir);
              if (sharp) {
                SharpPolyfill.dropDependency(dir);
              }
              io.sebs.junit.platform.pool.PackageFolders.installNodeModules(dir, code);
              build(dir, esbuild, spec.benchmark().isWorkflow(),
                  sharp ? java.util.Optional.of(SharpPolyfill.libraries(context.cacheDir())) : java.util.Optional.empty());
            });
    LOG.info(() -> (folder.reused() ? "Reusing" : "Built") + " Worker bundle " + folder.directory() + " in "
        + folder.buildTime().toMillis() + " ms");
    return new Prepared(folder, code);
  }

  /** Bundles the package folder's wrapper and function with esbuild; fails with esbuild's message. */
  static void build(Path packageDir, Path esbuild) {
    build(packageDir, esbuild, false);
  }

  /** {@link #build(Path, Path)} for a workflow's functions ({@code workflow}) or one function.js. */
  static void build(Path packageDir, Path esbuild, boolean workflow) {
    build(packageDir, esbuild, workflow, java.util.Optional.empty());
  }

  /**
   * {@link #build(Path, Path, boolean)}, with {@code require('sharp')} resolved to {@link SharpPolyfill#MODULE} when
   * {@code sharpPolyfill} names the node_modules folder holding the polyfill's libraries.
   */
  static void build(Path packageDir, Path esbuild, boolean workflow, java.util.Optional<Path> sharpPolyfill) {
    writeFunctions(packageDir, workflow);
    List<String> command = new java.util.ArrayList<>(List.of(esbuild.toString(), ENTRY));
    command.addAll(OPTIONS);
    Command esbuildRun = Command.of(command);
    if (sharpPolyfill.isPresent()) {
      command.add(SharpPolyfill.ESBUILD_ALIAS);
      esbuildRun = Command.of(command).env("NODE_PATH", sharpPolyfill.get().toString());
    }
    Command.Result result = esbuildRun.in(packageDir).timeout(Duration.ofMinutes(2)).run();
    if (!result.succeeded()) {
      throw new IllegalStateException("esbuild cannot bundle the Worker in " + packageDir + " (a module the"
          + " benchmark requires is missing, or its code does not parse):\n" + result.stderr().strip());
    }
  }

  /**
   * Writes {@value #FUNCTIONS}: a thunk requiring function.js, or, for a workflow, every top-level {@code .js} file of
   * function/ (its functions), so one bundle serves each function of a workflow (SEBS_WORKFLOW_FUNCTION picks one)
   * and a benchmark's code still runs only when its function is first invoked.
   */
  static void writeFunctions(Path packageDir, boolean workflow) {
    StringBuilder out = new StringBuilder("// Generated by sebs-junit: the functions this Worker can run, loaded on"
        + " demand.\n");
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    try (Stream<Path> files = Files.list(packageDir.resolve("function"))) {
      List<String> implicit = ImplicitGlobals.assignedIn(packageDir.resolve("function"));
      if (!implicit.isEmpty()) {
        out.append("// Assigned without a declaration (sloppy-mode CommonJS); the bundle is strict, so they are made"
            + " globals first, as Node.js makes them.\nfor (const name of ").append(json.writeValueAsString(implicit))
            .append(") {\n  if (!(name in globalThis)) globalThis[name] = undefined;\n}\n");
      }
      out.append("module.exports = {\n");
      List<String> names = files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".js") && (workflow || n.equals("function.js"))).sorted().toList();
      for (String n : names) {
        // JSON strings are JavaScript string literals, whatever the file is called
        out.append("  ").append(json.writeValueAsString(n.substring(0, n.length() - ".js".length())))
            .append(": () => require(").append(json.writeValueAsString("./function/" + n)).append("),\n");
      }
      Files.writeString(packageDir.resolve(FUNCTIONS), out.append("};\n").toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + FUNCTIONS + " in " + packageDir, e);
    }
  }


  /** The Worker's modules, main module first, with files relative to the package folder. */
  static List<WorkerdConfig.Module> modules(Path packageDir) {
    List<WorkerdConfig.Module> modules = new ArrayList<>();
    modules.add(new WorkerdConfig.Module(ENTRY, WorkerdConfig.Kind.ES_MODULE, BUNDLE));
    modules.add(new WorkerdConfig.Module(SOURCE_MAP_MODULE, WorkerdConfig.Kind.JSON, BUNDLE + ".map"));
    Path function = packageDir.resolve("function");
    try (Stream<Path> walk = Files.walk(function)) {
      walk.filter(Files::isRegularFile)
          .map(f -> packageDir.relativize(f).toString().replace('\\', '/'))
          .filter(WorkerBundle::isDataFile)
          .sorted()
          .forEach(f -> modules.add(new WorkerdConfig.Module(f, WorkerdConfig.Kind.DATA, f)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + function, e);
    }
    return modules;
  }

  /** Files the bundle does not contain: neither code nor npm's own files. */
  static boolean isDataFile(String relative) {
    return !relative.contains("node_modules/") && !relative.matches(".*\\.(js|cjs|mjs)$")
        && !relative.endsWith("/package.json") && !relative.endsWith("/package-lock.json");
  }

  /** Writes the configuration beside the bundle, named by its content so deployments never overwrite one. */
  static Path writeConfig(Path packageDir, String config) {
    String name = "workerd-" + sha256(config).substring(0, 16) + ".capnp";
    Path file = packageDir.resolve(name);
    try {
      if (!Files.exists(file)) {
        Path tmp = Files.createTempFile(packageDir, name, ".tmp");
        Files.writeString(tmp, config, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the workerd configuration " + file, e);
    }
    return file;
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
