package io.sebs.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The BOM users import has no parent (so it passes on nothing internal), which means it repeats versions
 * the build uses. This keeps the repeated ones equal: what users get is what the artifacts were tested with.
 */
class BomAlignmentTest {

  private static final Path ROOT = io.sebs.junit.testing.Fixtures.catalogueDir().getParent();

  @Test
  void theBomDeclaresTheJunitAndAllureVersionsTheBuildUses() throws Exception {
    Document build = parse(ROOT.resolve("pom.xml"));
    Document bom = parse(ROOT.resolve("sebs-junit/bom/pom.xml"));

    for (String property : new String[] {"junit.version", "allure.version", "jackson.version",
        "google-libraries-bom.version",
        "google-cloud-functions.version", "google-cloud-workflows.version", "azure-sdk-bom.version",
        "azure-resourcemanager.version", "azure-functions-java-library.version"}) {
      assertThat(text(bom, property)).as(property).isNotEmpty().isEqualTo(text(build, property));
    }
  }

  @Test
  void theBomPinsEveryLibraryTheBuildPinsForConvergenceAtTheSameVersion() throws Exception {
    Map<String, String> build = managed(parse(ROOT.resolve("pom.xml")));
    Map<String, String> bom = managed(parse(ROOT.resolve("sebs-junit/bom/pom.xml")));

    for (String pinned : new String[] {"com.google.guava:guava", "org.apache.httpcomponents.client5:httpclient5",
        "org.apache.httpcomponents.core5:httpcore5", "org.apache.httpcomponents.core5:httpcore5-h2",
        "org.slf4j:slf4j-api"}) {
      assertThat(bom.get(pinned)).as(pinned).isNotNull().isEqualTo(build.get(pinned));
    }
  }

  @Test
  void theBomManagesTheGoogleStackAsTheBuildDoes() throws Exception {
    Map<String, String> build = managed(parse(ROOT.resolve("pom.xml")));
    Map<String, String> bom = managed(parse(ROOT.resolve("sebs-junit/bom/pom.xml")));

    // the gcp module's client libraries and the pins that make them converge with the core's: every one the build
    // manages (Google's, gRPC's, protobuf's, OpenTelemetry's), at the same version, so a user's project resolves
    // what the module was tested with
    build.forEach((coordinates, version) -> {
      if (coordinates.startsWith("com.google.") && !coordinates.startsWith("com.google.guava")
          || coordinates.startsWith("io.grpc:") || coordinates.startsWith("io.opentelemetry")
          || coordinates.contains("woodstox") || coordinates.startsWith("org.codehaus.mojo:animal-sniffer")) {
        assertThat(bom.get(coordinates)).as(coordinates).isEqualTo(version);
      }
    });
    assertThat(bom).containsKey("com.google.cloud:libraries-bom");
    // Jackson too: Google's storage client declares an older one, which would otherwise mix with the core's
    assertThat(bom).containsKey("com.fasterxml.jackson:jackson-bom");
  }

  @Test
  void theBomManagesTheAzureStackAsTheBuildDoes() throws Exception {
    Map<String, String> build = managed(parse(ROOT.resolve("pom.xml")));
    Map<String, String> bom = managed(parse(ROOT.resolve("sebs-junit/bom/pom.xml")));

    // the azure module's management libraries (not in azure-sdk-bom) and the pins that make them converge
    build.forEach((coordinates, version) -> {
      if (coordinates.startsWith("com.azure") || coordinates.startsWith("com.microsoft.azure")
          || coordinates.startsWith("io.projectreactor") || coordinates.startsWith("net.java.dev.jna")
          || coordinates.startsWith("org.hdrhistogram")) {
        assertThat(bom.get(coordinates)).as(coordinates).isEqualTo(version);
      }
    });
    assertThat(bom).containsKey("com.azure:azure-sdk-bom").containsKey("com.azure.resourcemanager:azure-resourcemanager-appservice");
  }

  private static Document parse(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  private static String text(Document pom, String tag) {
    NodeList nodes = pom.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
  }

  private static Map<String, String> managed(Document pom) {
    Map<String, String> versions = new LinkedHashMap<>();
    NodeList dependencies = pom.getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      versions.put(child(dependency, "groupId") + ":" + child(dependency, "artifactId"), child(dependency, "version"));
    }
    return versions;
  }

  private static String child(Element element, String tag) {
    NodeList nodes = element.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
  }
}
