package io.sebs.junit.platform.azure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.Language;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * What a Flex Consumption function app's package holds per language (the echo fixture with the Azure wrapper), that
 * equal code gives equal bytes, and which runtimes a benchmark may ask for.
 */
class AzurePackageTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aPythonAppHasTheV1FunctionFolderTheBenchmarkAndRequirementsForTheRemoteBuild() throws IOException {
    Map<String, byte[]> files = EchoApps.echo(Language.PYTHON).files();

    assertEquals(List.of("function/function.py", "handler/__init__.py", "handler/function.json", "host.json",
        "requirements.txt"), List.copyOf(files.keySet()));
    assertHttpTrigger(files);
    assertTrue(text(files, "requirements.txt").lines().anyMatch("azure-functions"::equals),
        text(files, "requirements.txt"));
    assertEquals("2.0", JSON.readTree(files.get("host.json")).path("version").asText());
  }

  @Test
  void aWorkflowsOrchestratorAppShipsDurableFunctionsItsDefinitionAndItsOwnTaskHub() throws IOException {
    byte[] definition = "{\"root\": \"a\", \"states\": {\"a\": {\"type\": \"task\", \"func_name\": \"a\"}}}"
        .getBytes(StandardCharsets.UTF_8);
    AzurePackage zip = AzurePackage.workflow(io.sebs.junit.testing.Fixtures.cacheDir(), definition, "sebsHub1", 230);
    Map<String, byte[]> files = zip.files();

    assertArrayEquals(definition, files.get("definition.json"));
    JsonNode packageJson = JSON.readTree(files.get("package.json"));
    assertEquals(AzurePackage.WORKFLOW_SCRIPT, packageJson.path("main").asText());
    assertEquals("3.5.0", JSON.readTree(files.get("node_modules/durable-functions/package.json")).path("version").asText());
    assertTrue(files.containsKey("node_modules/@azure/functions/package.json"));
    assertTrue(text(files, AzurePackage.WORKFLOW_SCRIPT).contains("df.app.orchestration(ORCHESTRATOR"));
    JsonNode host = JSON.readTree(files.get("host.json"));
    JsonNode durable = host.path("extensions").path("durableTask");
    assertEquals("sebsHub1", durable.path("hubName").asText());
    assertEquals(AzurePackage.MAX_CONCURRENT_ACTIVITIES, durable.path("maxConcurrentActivityFunctions").asInt());
    assertEquals("00:00:01", durable.path("storageProvider").path("maxQueuePollingInterval").asText());
    assertEquals(AzurePackage.EXTENSION_BUNDLE, host.path("extensionBundle").path("id").asText());
    assertEquals("[4.*, 5.0.0)", host.path("extensionBundle").path("version").asText());
    assertEquals("00:03:50", host.path("functionTimeout").asText());
    assertEquals(zip.sha256(), AzurePackage.workflow(io.sebs.junit.testing.Fixtures.cacheDir(), definition, "sebsHub1",
        230).sha256(), "equal inputs, equal bytes");

    IllegalArgumentException badHub = assertThrows(IllegalArgumentException.class,
        () -> AzurePackage.workflow(io.sebs.junit.testing.Fixtures.cacheDir(), definition, "1-hub", 230));
    assertTrue(badHub.getMessage().contains("3-45 letters and digits"), badHub.getMessage());
  }

  @Test
  void aNodeAppRegistersItsFunctionFromMainAndShipsItsNodeModules() throws IOException {
    Map<String, byte[]> files = EchoApps.echo(Language.NODEJS).files();

    JsonNode packageJson = JSON.readTree(files.get("package.json"));
    assertEquals("handler.js", packageJson.path("main").asText());
    assertEquals("^4", packageJson.path("dependencies").path("@azure/functions").asText());
    assertTrue(text(files, "handler.js").contains("app.http('handler', { methods: ['POST'], authLevel: 'function'"));
    assertTrue(files.containsKey("function/function.js"));
    JsonNode library = JSON.readTree(files.get("node_modules/@azure/functions/package.json"));
    assertTrue(library.path("version").asText().startsWith("4."), library.path("version").asText());
    assertFalse(files.keySet().stream().anyMatch(f -> f.startsWith("node_modules/.bin/")));
  }

  @Test
  void aJavaAppHasItsFunctionJarAndLibButNotAzuresProvidedLibrary() throws IOException {
    Map<String, byte[]> files = EchoApps.echo(Language.JAVA).files();

    JsonNode function = assertHttpTrigger(files);
    assertEquals("../function.jar", function.path("scriptFile").asText());
    assertEquals("sebs.wrapper.AzureHandler.run", function.path("entryPoint").asText());
    List<String> classes = entries(files.get("function.jar"));
    assertTrue(classes.contains("sebs/wrapper/AzureHandler.class"), classes.toString());
    assertTrue(classes.contains("function/Function.class"), classes.toString());
    List<String> lib = files.keySet().stream().filter(f -> f.startsWith("lib/")).toList();
    assertTrue(lib.stream().anyMatch(f -> f.startsWith("lib/jackson-databind-")), lib.toString());
    assertFalse(lib.stream().anyMatch(f -> f.contains("azure-functions-java")), lib.toString());
    assertFalse(files.keySet().stream().anyMatch(f -> f.startsWith("function/")),
        "the Java sources stay out of the app: " + files.keySet());
  }

  @Test
  void equalCodeGivesEqualBytesWithSortedEntriesAndFixedTimes() throws IOException {
    CodePackage code = EchoApps.code(Language.PYTHON);
    AzurePackage first = AzurePackage.build(io.sebs.junit.testing.Fixtures.cacheDir(), code, Language.PYTHON);
    AzurePackage second = AzurePackage.build(io.sebs.junit.testing.Fixtures.cacheDir(), code, Language.PYTHON);

    assertArrayEquals(first.zip(), second.zip());
    assertEquals(first.sha256(), second.sha256());
    assertEquals(first.zip().length, first.size());
    assertEquals(first, AzurePackage.of(first.zip()), "a zip read back is the same package");
    List<String> names = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(first.zip()))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        names.add(entry.getName());
        assertEquals(315532800000L, entry.getTime(), entry.getName()); // 1980-01-01, the zip format's epoch
      }
    }
    assertEquals(names.stream().sorted().toList(), names);

    CodePackage changed = code.withDependencies(Language.PYTHON, Map.of("requests", "==2.32.3"));
    AzurePackage other = AzurePackage.build(io.sebs.junit.testing.Fixtures.cacheDir(), changed, Language.PYTHON);
    assertNotEquals(first.sha256(), other.sha256());
    assertTrue(text(other.files(), "requirements.txt").contains("requests==2.32.3\n"),
        "module dependencies reach the installed requirements");
  }

  @Test
  void benchmarksAskForRuntimesByVersionAndGetTheDefaultWhenTheyDoNot() {
    assertEquals(new FlexRuntime("python", "3.11"), FlexRuntime.of(Language.PYTHON, ""));
    assertEquals(new FlexRuntime("python", "3.12"), FlexRuntime.of(Language.PYTHON, "3.12"));
    assertEquals(new FlexRuntime("node", "20"), FlexRuntime.of(Language.NODEJS, ""));
    assertEquals(new FlexRuntime("node", "22"), FlexRuntime.of(Language.NODEJS, "22.x"));
    assertEquals(new FlexRuntime("java", "17"), FlexRuntime.of(Language.JAVA, null));
    assertEquals(new FlexRuntime("java", "21"), FlexRuntime.of(Language.JAVA, "21"));
    assertEquals("3.12", FlexRuntime.of(Language.PYTHON, "3.12").sebsVersion());
    assertEquals("", FlexRuntime.of(Language.JAVA, "21").sebsVersion());
  }

  @Test
  void anUnsupportedRuntimeIsRefusedNamingTheSupportedOnes() {
    IllegalArgumentException python = assertThrows(IllegalArgumentException.class,
        () -> FlexRuntime.of(Language.PYTHON, "3.8"));
    assertEquals("Python 3.8 is not a runtime sebs-junit deploys to Azure Functions (Flex Consumption): use"
        + " languageVersion 3.11 or 3.12, or leave it empty for 3.11", python.getMessage());
    IllegalArgumentException node = assertThrows(IllegalArgumentException.class,
        () -> FlexRuntime.of(Language.NODEJS, "18"));
    assertTrue(node.getMessage().contains("use languageVersion 20 or 22"), node.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FlexRuntime.of(Language.JAVA, "11"));
  }

  @Test
  void requirementsThatAlreadyListAzureFunctionsAreLeftAsTheyAre() throws IOException {
    CodePackage code = EchoApps.code(Language.PYTHON)
        .withDependencies(Language.PYTHON, Map.of("Azure_Functions", ">=1.20"));
    String requirements = text(AzurePackage.build(io.sebs.junit.testing.Fixtures.cacheDir(), code, Language.PYTHON)
        .files(), "requirements.txt");
    assertEquals(1, requirements.lines().filter(l -> l.toLowerCase().replace('_', '-').startsWith("azure-functions"))
        .count(), requirements);
  }

  /** handler/function.json: the one HTTP trigger, POST, authLevel function, answered through $return. */
  private static JsonNode assertHttpTrigger(Map<String, byte[]> files) throws IOException {
    JsonNode function = JSON.readTree(files.get("handler/function.json"));
    JsonNode trigger = function.path("bindings").get(0);
    assertEquals("httpTrigger", trigger.path("type").asText());
    assertEquals("function", trigger.path("authLevel").asText());
    assertEquals("[\"post\"]", trigger.path("methods").toString());
    assertEquals("req", trigger.path("name").asText());
    JsonNode out = function.path("bindings").get(1);
    assertEquals("http", out.path("type").asText());
    assertEquals("$return", out.path("name").asText());
    return function;
  }

  private static String text(Map<String, byte[]> files, String name) {
    byte[] content = files.get(name);
    assertTrue(content != null, "no " + name + " in " + new TreeMap<>(files).keySet());
    return new String(content, StandardCharsets.UTF_8);
  }

  private static List<String> entries(byte[] jar) throws IOException {
    List<String> names = new ArrayList<>();
    try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        names.add(entry.getName());
      }
    }
    return names;
  }
}
