package function;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import sebs.storage.Storage;

/**
 * 311.compression: zip a folder of objects from storage and store the archive.
 *
 * <p>As the Python version: every object under IN/DATASET/ is downloaded (the storage client recreates
 * the keys as paths), the tree is zipped with java.util.zip (entries "DATASET/...", folders included,
 * deflate at zlib's default level, as shutil.make_archive does), and the archive is uploaded as
 * OUT/DATASET.zip (the storage client makes the key unique). Times are in microseconds.
 */
public final class Function {

  private Function() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> handler(Map<String, Object> event) throws IOException {
    Map<String, Object> bucketConfig = (Map<String, Object>) event.get("bucket");
    String bucket = (String) bucketConfig.get("bucket");
    String inputPrefix = stripTrailingSlashes((String) bucketConfig.get("input"));
    String outputPrefix = stripTrailingSlashes((String) bucketConfig.get("output"));
    String dataset = strip((String) ((Map<String, Object>) event.get("object")).get("key"));
    if (dataset.isEmpty() || dataset.equals(".") || dataset.equals("..") || dataset.contains("/")) {
      throw new IllegalArgumentException("event['object']['key'] must name one folder, got '" + dataset + "'");
    }
    Storage client = Storage.getInstance();

    // java.io.tmpdir is the instance's scratch folder (SEBS_TMP)
    Path workDir = Files.createTempDirectory("compression-");
    long files;
    long rawSize;
    long archiveSize;
    String key;
    long t0;
    long t1;
    long t2;
    long t3;
    try {
      Path downloadDir = workDir.resolve("download");
      t0 = System.nanoTime();
      client.downloadDirectory(bucket, inputPrefix + "/" + dataset + "/", downloadDir);
      t1 = System.nanoTime();
      // downloadDirectory writes each object at downloadDir/<its whole key>
      Path parent = downloadDir.resolve(inputPrefix);
      Path tree = parent.resolve(dataset);
      if (!Files.isDirectory(tree)) {
        throw new IOException("no objects under s3://" + bucket + "/" + inputPrefix + "/" + dataset + "/");
      }
      Path archive = workDir.resolve(dataset + ".zip");
      long[] counts = zip(parent, tree, archive);
      files = counts[0];
      rawSize = counts[1];
      if (files == 0) {
        throw new IOException("no objects under s3://" + bucket + "/" + inputPrefix + "/" + dataset + "/");
      }
      t2 = System.nanoTime();
      archiveSize = Files.size(archive);
      key = client.upload(bucket, outputPrefix + "/" + dataset + ".zip", archive);
      t3 = System.nanoTime();
    } finally {
      deleteRecursively(workDir);
    }

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("bucket", bucket);
    result.put("key", key);
    result.put("size", archiveSize);
    result.put("files", files);
    result.put("uncompressed_size", rawSize);
    Map<String, Object> measurement = new LinkedHashMap<>();
    measurement.put("download_time", (t1 - t0) / 1000);
    measurement.put("download_size", rawSize);
    measurement.put("compress_time", (t2 - t1) / 1000);
    measurement.put("upload_time", (t3 - t2) / 1000);
    measurement.put("upload_size", archiveSize);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("result", result);
    answer.put("measurement", measurement);
    return answer;
  }

  /** Zips tree into archive with entry names relative to root; returns (files, their total bytes). */
  static long[] zip(Path root, Path tree, Path archive) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(tree)) {
      paths = walk.sorted(Comparator.comparing(Path::toString)).collect(Collectors.toList());
    }
    long files = 0;
    long bytes = 0;
    try (OutputStream file = Files.newOutputStream(archive);
        ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(file, 64 * 1024))) {
      for (Path path : paths) {
        String name = root.relativize(path).toString().replace('\\', '/');
        if (Files.isDirectory(path)) {
          ZipEntry entry = new ZipEntry(name + "/");
          entry.setLastModifiedTime(Files.getLastModifiedTime(path));
          zip.putNextEntry(entry);
          zip.closeEntry();
        } else if (Files.isRegularFile(path)) {
          ZipEntry entry = new ZipEntry(name);
          entry.setLastModifiedTime(Files.getLastModifiedTime(path));
          zip.putNextEntry(entry);
          bytes += Files.copy(path, zip);
          zip.closeEntry();
          files++;
        }
      }
    }
    return new long[] {files, bytes};
  }

  private static String stripTrailingSlashes(String text) {
    String s = text;
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private static String strip(String text) {
    String s = stripTrailingSlashes(text);
    while (s.startsWith("/")) {
      s = s.substring(1);
    }
    return s;
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // the instance folder is removed with the instance anyway
    }
  }
}
