package sebs.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * sebs-junit local platform: object storage for Java benchmark functions, with SeBS's storage interface.
 *
 * <p>Benchmark code uses it as on any SeBS platform:
 * <pre>{@code
 * Storage client = Storage.getInstance();
 * byte[] image = client.downloadStream(bucket, input + "/" + key);
 * String stored = client.uploadStream(bucket, output + "/thumb.jpg", jpeg);   // a unique key
 * String archive = client.upload(bucket, output + "/data.zip", Path.of("/tmp/data.zip"));
 * client.downloadDirectory(bucket, input + "/dataset/", workDir);          // workDir/<whole key>
 * }</pre>
 *
 * <p>The platform runs an S3-API server and tells each function instance where it is:
 * SEBS_STORAGE_ENDPOINT (e.g. http://127.0.0.1:39211, path-style addressing), AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), AWS_REGION / AWS_DEFAULT_REGION (default us-east-1).
 *
 * <p>A small S3 client over the JDK (HttpURLConnection, Signature Version 4 with signed payloads,
 * ListObjectsV2), so that it compiles into every Java function without a dependency: as SeBS's own
 * local platform uses a light S3 client (minio) rather than the cloud SDK. The configuration is read on
 * first use, so a function that never touches storage pays nothing for it.
 */
public final class Storage {

  static final String ENDPOINT_ENV = "SEBS_STORAGE_ENDPOINT";
  static final String DEFAULT_REGION = "us-east-1";
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final int CONNECT_TIMEOUT_MS = 10_000;

  private static volatile Storage instance;

  private final String base; // scheme://host[:port][/path], no trailing slash
  private final String basePath;
  private final String region;
  private final String accessKey;
  private final String secretKey;
  private final String sessionToken;

  private Storage(URI endpoint, String region, String accessKey, String secretKey, String sessionToken) {
    String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    this.basePath = path;
    this.base = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
    this.region = region;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.sessionToken = sessionToken;
  }

  /** The shared instance, configured from the environment on first use. */
  public static Storage getInstance() {
    Storage s = instance;
    if (s == null) {
      synchronized (Storage.class) {
        s = instance;
        if (s == null) {
          s = fromEnvironment();
          instance = s;
        }
      }
    }
    return s;
  }

  private static Storage fromEnvironment() {
    String endpoint = env(ENDPOINT_ENV);
    if (endpoint.isEmpty()) {
      throw new IllegalStateException(ENDPOINT_ENV + " is not set: this function instance has no object storage "
          + "(does the benchmark's config.json list \"storage\" in \"modules\"?)");
    }
    String region = env("AWS_REGION");
    if (region.isEmpty()) {
      region = env("AWS_DEFAULT_REGION");
    }
    if (region.isEmpty()) {
      region = DEFAULT_REGION;
    }
    String key = env("AWS_ACCESS_KEY_ID");
    String secret = env("AWS_SECRET_ACCESS_KEY");
    return new Storage(URI.create(endpoint), region, key, secret, env("AWS_SESSION_TOKEN"));
  }

  private static String env(String name) {
    String value = System.getenv(name);
    return value == null ? "" : value.strip();
  }

  /** "dir/photo.jpg" to "dir/photo.1a2b3c4d.jpg": 8 random hex digits before the extension. */
  public static String uniqueName(String name) {
    int slash = name.lastIndexOf('/');
    String base = name.substring(slash + 1);
    int dot = base.lastIndexOf('.');
    // as Python's os.path.splitext: leading dots of the file name do not start an extension
    int firstNonDot = 0;
    while (firstNonDot < base.length() && base.charAt(firstNonDot) == '.') {
      firstNonDot++;
    }
    String random = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    if (dot < 0 || firstNonDot >= dot) {
      return name + "." + random;
    }
    int split = slash + 1 + dot;
    return name.substring(0, split) + "." + random + name.substring(split);
  }

  // ------------------------------------------------------------------------------ SeBS's interface

  /** Uploads the local file filepath under a unique key derived from file; returns that key. */
  public String upload(String bucket, String file, Path filepath) throws IOException {
    String key = uniqueName(file);
    long length = Files.size(filepath);
    String hash;
    try (InputStream in = Files.newInputStream(filepath)) {
      hash = sha256Hex(in);
    }
    try (InputStream in = Files.newInputStream(filepath)) {
      put(bucket, key, in, length, hash);
    }
    return key;
  }

  /** Uploads the local file filepath under a unique key derived from file; returns that key. */
  public String upload(String bucket, String file, String filepath) throws IOException {
    return upload(bucket, file, Path.of(filepath));
  }

  /** Downloads the object file into the local path filepath (its parent folders are created). */
  public void download(String bucket, String file, Path filepath) throws IOException {
    HttpURLConnection connection = send("GET", objectPath(bucket, file), Map.of(), null, -1, EMPTY_SHA256);
    Path parent = filepath.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (InputStream in = connection.getInputStream()) {
      Files.copy(in, filepath, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Downloads the object file into the local path filepath (its parent folders are created). */
  public void download(String bucket, String file, String filepath) throws IOException {
    download(bucket, file, Path.of(filepath));
  }

  /**
   * Downloads every object whose key starts with prefix to path/&lt;key&gt;, creating directories. As in
   * SeBS, the whole key (prefix included) is the file's path below path.
   */
  public void downloadDirectory(String bucket, String prefix, Path path) throws IOException {
    Path root = path.toAbsolutePath().normalize();
    for (String key : list(bucket, prefix)) {
      if (key.endsWith("/")) {
        continue; // a "folder" marker object, nothing to write
      }
      Path target = root.resolve(key).normalize();
      if (!target.startsWith(root)) {
        throw new IOException("object key " + key + " would be written outside " + root);
      }
      download(bucket, key, target);
    }
  }

  /** Downloads every object whose key starts with prefix to path/&lt;key&gt;. */
  public void downloadDirectory(String bucket, String prefix, String path) throws IOException {
    downloadDirectory(bucket, prefix, Path.of(path));
  }

  /** Uploads data under a unique key derived from file; returns that key. */
  public String uploadStream(String bucket, String file, byte[] data) throws IOException {
    String key = uniqueName(file);
    put(bucket, key, new ByteArrayInputStream(data), data.length, sha256Hex(data));
    return key;
  }

  /** The content of the object file. */
  public byte[] downloadStream(String bucket, String file) throws IOException {
    HttpURLConnection connection = send("GET", objectPath(bucket, file), Map.of(), null, -1, EMPTY_SHA256);
    try (InputStream in = connection.getInputStream()) {
      return in.readAllBytes();
    }
  }

  /** Keys of the objects whose key starts with prefix, in S3's order (all pages). */
  public List<String> list(String bucket, String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    String token = null;
    do {
      Map<String, String> query = new TreeMap<>();
      query.put("list-type", "2");
      query.put("prefix", prefix == null ? "" : prefix);
      if (token != null) {
        query.put("continuation-token", token);
      }
      HttpURLConnection connection = send("GET", basePath + "/" + encode(bucket, false), query, null, -1,
          EMPTY_SHA256);
      Document xml;
      try (InputStream in = connection.getInputStream()) {
        xml = parseXml(in.readAllBytes());
      }
      Element result = xml.getDocumentElement();
      NodeList contents = result.getElementsByTagName("Contents");
      for (int i = 0; i < contents.getLength(); i++) {
        String key = childText((Element) contents.item(i), "Key");
        if (key != null) {
          keys.add(key);
        }
      }
      token = "true".equals(childText(result, "IsTruncated")) ? childText(result, "NextContinuationToken") : null;
    } while (token != null && !token.isEmpty());
    return keys;
  }

  // ------------------------------------------------------------------------------ S3 over HTTP

  private void put(String bucket, String key, InputStream body, long length, String payloadHash) throws IOException {
    HttpURLConnection connection = send("PUT", objectPath(bucket, key), Map.of(), body, length, payloadHash);
    try (InputStream in = connection.getInputStream()) {
      in.readAllBytes(); // drain, so the connection can be reused
    }
  }

  private String objectPath(String bucket, String key) {
    return basePath + "/" + encode(bucket, false) + "/" + encode(key, true);
  }

  /** Sends a signed request; returns the connection with a 2xx answer, or throws with S3's error. */
  private HttpURLConnection send(String method, String path, Map<String, String> query, InputStream body,
      long length, String payloadHash) throws IOException {
    StringBuilder queryString = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(query).entrySet()) {
      if (queryString.length() > 0) {
        queryString.append('&');
      }
      queryString.append(encode(e.getKey(), false)).append('=').append(encode(e.getValue(), false));
    }
    URL url = new URL(base + path + (queryString.length() > 0 ? "?" + queryString : ""));
    HttpURLConnection connection = (HttpURLConnection) url.openConnection();
    connection.setRequestMethod(method);
    connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
    connection.setUseCaches(false);
    connection.setInstanceFollowRedirects(false);

    String amzDate = amzDate();
    TreeMap<String, String> signed = new TreeMap<>();
    signed.put("host", hostHeader(url));
    signed.put("x-amz-content-sha256", payloadHash);
    signed.put("x-amz-date", amzDate);
    if (!sessionToken.isEmpty()) {
      signed.put("x-amz-security-token", sessionToken);
    }
    for (Map.Entry<String, String> e : signed.entrySet()) {
      if (!e.getKey().equals("host")) { // HttpURLConnection sends Host itself, with the same value
        connection.setRequestProperty(e.getKey(), e.getValue());
      }
    }
    if (!accessKey.isEmpty() && !secretKey.isEmpty()) {
      connection.setRequestProperty("Authorization",
          authorization(method, path, queryString.toString(), signed, payloadHash, amzDate));
    }
    if (body != null) {
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/octet-stream");
      connection.setFixedLengthStreamingMode(length);
      try (OutputStream out = connection.getOutputStream()) {
        body.transferTo(out);
      }
    }
    int status = connection.getResponseCode();
    if (status / 100 != 2) {
      throw new IOException("S3 " + method + " " + url.getPath() + " failed: " + describeError(connection, status));
    }
    return connection;
  }

  private static String describeError(HttpURLConnection connection, int status) {
    String body = "";
    try (InputStream err = connection.getErrorStream()) {
      if (err != null) {
        body = new String(err.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException ignored) {
      // the status says enough
    }
    String code = firstMatch(body, "<Code>(.*?)</Code>");
    String message = firstMatch(body, "<Message>(.*?)</Message>");
    return "HTTP " + status + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message)
        + (code == null && !body.isBlank() ? " " + body.strip() : "");
  }

  private static String firstMatch(String text, String regex) {
    Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
    return m.find() ? m.group(1) : null;
  }

  private static String hostHeader(URL url) {
    int port = url.getPort();
    return port == -1 || port == url.getDefaultPort() ? url.getHost() : url.getHost() + ":" + port;
  }

  // ------------------------------------------------------------------------------ Signature Version 4

  private String authorization(String method, String canonicalUri, String canonicalQuery,
      TreeMap<String, String> headers, String payloadHash, String amzDate) {
    StringBuilder canonicalHeaders = new StringBuilder();
    for (Map.Entry<String, String> e : headers.entrySet()) {
      canonicalHeaders.append(e.getKey()).append(':').append(e.getValue().strip()).append('\n');
    }
    String signedHeaders = String.join(";", headers.keySet());
    String canonicalRequest = method + "\n" + (canonicalUri.isEmpty() ? "/" : canonicalUri) + "\n"
        + canonicalQuery + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
    String date = amzDate.substring(0, 8);
    String scope = date + "/" + region + "/s3/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, "s3");
    key = hmac(key, "aws4_request");
    String signature = HexFormat.of().formatHex(hmac(key, stringToSign));
    return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ", SignedHeaders=" + signedHeaders
        + ", Signature=" + signature;
  }

  private static String amzDate() {
    LocalDateTime t = LocalDateTime.now(ZoneOffset.UTC);
    return String.format("%04d%02d%02dT%02d%02d%02dZ", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
        t.getHour(), t.getMinute(), t.getSecond());
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256().digest(data));
  }

  private static String sha256Hex(InputStream in) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) > 0) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** URI-encodes as SigV4 wants: unreserved characters kept, '/' kept in paths, the rest %XX (upper case). */
  static String encode(String text, boolean keepSlash) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~' || (keepSlash && c == '/')) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  // ------------------------------------------------------------------------------ XML

  private static Document parseXml(byte[] xml) throws IOException {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setNamespaceAware(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      return builder.parse(new ByteArrayInputStream(xml));
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException("S3 answered with XML that cannot be read: " + e.getMessage(), e);
    }
  }

  private static String childText(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
        return n.getTextContent();
      }
    }
    return null;
  }
}
