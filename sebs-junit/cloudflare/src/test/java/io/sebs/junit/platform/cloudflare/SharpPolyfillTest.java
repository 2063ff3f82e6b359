package io.sebs.junit.platform.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 210.thumbnailer on Workers: sharp is native code, so the bundle gets the wrapper's polyfill of it (over jimp, pure
 * JavaScript). This repository's 210 and a thumbnailer written as older SeBS-style folders are (a stream piped through
 * {@code sharp().resize(w, h).png()}, variables assigned undeclared, an old sharp pin), both make a thumbnail of exactly the box, as sharp's default "cover" fit
 * does; what the polyfill lacks fails naming the method.
 */
class SharpPolyfillTest {

  @TempDir
  Path results;

  private BenchmarkRun run;

  @AfterEach
  void close() {
    if (run != null) {
      run.close();
    }
  }

  private BenchmarkRun run(Path benchmarks, String... more) {
    String[] keyValues = new String[4 + more.length];
    keyValues[0] = "sebs.platform";
    keyValues[1] = CloudflareLocalPlatform.NAME;
    keyValues[2] = "sebs.benchmarks.dir";
    keyValues[3] = benchmarks.toString();
    System.arraycopy(more, 0, keyValues, 4, more.length);
    run = new BenchmarkRun(Fixtures.config(results, keyValues));
    return run;
  }

  private static Path fixtures() throws Exception {
    return Path.of(SharpPolyfillTest.class.getResource("/cloudflare-fixtures").toURI());
  }

  private BufferedImage stored(String key) throws Exception {
    ObjectStorage objects = run.platform().storage().objectStorage();
    byte[] png = objects.download(objects.benchmarksBucket(), key);
    assertThat(png).as("a PNG").startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  @Test
  void theRepositorys210RunsOnWorkersWithItsOutputValidated() {
    WorkersCompatibility.Row row = WorkersCompatibility.probe(run(Fixtures.catalogueDir()), "210.thumbnailer",
        Language.NODEJS, UnaryOperator.identity());

    assertThat(row.verdict()).as("%s", row).isEqualTo(WorkersCompatibility.Verdict.RUNS);
  }

  @Test
  void theThumbnailCoversTheBoxExactlyAsAPngAsSharpsDefaultFitDoes() throws Exception {
    PreparedFunction function = run(Fixtures.catalogueDir()).prepare(run.spec("210.thumbnailer", "nodejs", "", "test", 0, 0));

    Invocation invocation = function.invoker().invoke(function.input().input());

    assertThat(invocation.failed()).as("%s", invocation).isFalse();
    JsonNode out = invocation.output();
    assertThat(out.path("format").asText()).isEqualTo("png");
    assertThat(out.path("source_width").asInt()).isEqualTo(800);
    assertThat(out.path("source_height").asInt()).isEqualTo(600);
    BufferedImage thumbnail = stored(out.path("key").asText());
    assertThat(thumbnail.getWidth()).as("width").isEqualTo(200);
    assertThat(thumbnail.getHeight()).as("height").isEqualTo(200);
  }

  @Test
  void aSloppyModeThumbnailerStreamingThroughSharpRunsUnchanged() throws Exception {
    Path data = Files.createDirectories(results.resolve("data"));
    Path images = Files.createDirectories(data.resolve("951.stream-thumbnailer")); // <data>/<benchmark>, as SeBS lays data out
    BufferedImage picture = new BufferedImage(640, 360, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = picture.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.ORANGE, 640, 360, Color.BLUE));
    g.fillRect(0, 0, 640, 360);
    g.dispose();
    ImageIO.write(picture, "jpg", images.resolve("gradient.jpg").toFile());
    WorkersCompatibility.Row row = WorkersCompatibility.probe(run(fixtures(), "sebs.data.dir", data.toString()),
        "951.stream-thumbnailer", Language.NODEJS, UnaryOperator.identity());
    assertThat(row.verdict()).as("%s", row).isEqualTo(WorkersCompatibility.Verdict.RUNS);

    ObjectStorage objects = run.platform().storage().objectStorage();
    java.util.List<String> thumbnails = objects.list(objects.benchmarksBucket(), "").stream()
        .filter(k -> k.endsWith(".png")).toList();
    assertThat(thumbnails).as("the thumbnail the function uploaded").hasSize(1);
    BufferedImage thumbnail = stored(thumbnails.get(0));
    assertThat(thumbnail.getWidth()).isEqualTo(200);
    assertThat(thumbnail.getHeight()).isEqualTo(200);
  }

  @Test
  void aSharpMethodThePolyfillLacksFailsNamingItAndThePolyfill() throws Exception {
    PreparedFunction function = run(fixtures()).prepare(run.spec("952.sharp-misuse", "nodejs", "", "test", 0, 0));

    Invocation metadata = function.invoker().invoke(Map.of("method", "metadata"));
    Invocation rotate = function.invoker().invoke(Map.of("method", "rotate"));

    assertThat(metadata.failed()).as("%s", metadata).isFalse();
    assertThat(metadata.output().path("answer").path("width").asInt()).isEqualTo(2);
    assertThat(metadata.output().path("answer").path("format").asText()).isEqualTo("png");
    assertThat(rotate.failed()).isTrue();
    assertThat(rotate.failureReason()).get().asString()
        .contains("rotate() is not supported by sebs-junit's Workers polyfill of sharp", "it implements");
  }

  @Test
  void variablesAssignedWithoutADeclarationAreFoundButDeclarationsContinuedOverLinesAreNot() {
    assertThat(ImplicitGlobals.assignedInCode("""
        const sharp = require('sharp'),
              path = require('path');
        exports.handler = async function(event) {
          bucket = event.bucket.bucket
          let key = event.object.key
          width = event.object.width // a comment
          if (width == 3) return;
        };
        """)).containsExactly("bucket", "width");
  }
}
