package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google's OAuth token endpoint as the stand-in plays it, for a service account whose key it generated: the
 * platform's real {@code ServiceAccountCredentials} sign a JWT assertion with the key and exchange it here for
 * an access token (scope {@code cloud-platform}) or, with a {@code target_audience} claim, an ID token. The
 * assertion's signature, issuer, audience and expiry are checked as Google does; issued tokens are remembered so
 * the APIs can check the {@code Authorization} header of every request.
 */
final class StandInTokens {

  static final String PROJECT = "sebs-standin";
  static final String CLIENT_EMAIL = "sebs-junit@" + PROJECT + ".iam.gserviceaccount.com";
  /** The audience Google's token endpoint requires in assertions, whatever URL they are posted to. */
  static final String GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeyPair serviceAccount;
  private final KeyPair issuer;
  private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
  /** ID token to its audience. */
  private final Map<String, String> idTokens = new ConcurrentHashMap<>();
  private volatile String tokenUri;

  StandInTokens() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      serviceAccount = generator.generateKeyPair();
      issuer = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  void tokenUri(String uri) {
    tokenUri = uri;
  }

  /** A service-account key file, as the IAM console downloads it, whose token_uri is this stand-in. */
  Path writeKeyFile(Path dir) {
    ObjectNode key = JSON.createObjectNode();
    key.put("type", "service_account");
    key.put("project_id", PROJECT);
    key.put("private_key_id", "standin-key-1");
    key.put("private_key", "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(serviceAccount.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    key.put("client_email", CLIENT_EMAIL);
    key.put("client_id", "1000000000000000000");
    key.put("token_uri", tokenUri);
    try {
      Path file = dir.resolve("standin-service-account.json");
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(key));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An access token for a function instance (what the metadata server hands out). */
  String newAccessToken() {
    String token = "ya29.standin-" + UUID.randomUUID();
    accessTokens.add(token);
    return token;
  }

  /** Whether an Authorization header carries an access token this stand-in issued. */
  boolean authorizes(String header) {
    return header != null && header.startsWith("Bearer ") && accessTokens.contains(header.substring(7));
  }

  /** Whether an Authorization header carries an ID token issued for this audience. */
  boolean authorizesIdToken(String header, String audience) {
    return header != null && header.startsWith("Bearer ") && audience.equals(idTokens.get(header.substring(7)));
  }

  /**
   * Answers a token request (form body {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=
   * <JWT>}): {@code {access_token, expires_in, token_type}} or {@code {id_token}}; throws with Google's error text
   * for a bad request.
   */
  JsonNode exchange(String form) {
    Map<String, String> params = new HashMap<>();
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(params.get("grant_type"))) {
      throw new IllegalArgumentException("unsupported_grant_type: " + params.get("grant_type"));
    }
    JsonNode claims = verify(params.getOrDefault("assertion", ""));
    ObjectNode answer = JSON.createObjectNode();
    if (claims.hasNonNull("target_audience")) {
      String audience = claims.get("target_audience").asText();
      String idToken = sign(audience);
      idTokens.put(idToken, audience);
      answer.put("id_token", idToken);
    } else {
      if (!claims.path("scope").asText("").contains("https://www.googleapis.com/auth/cloud-platform")) {
        throw new IllegalArgumentException("invalid_scope: the assertion asks for '" + claims.path("scope").asText()
            + "', not cloud-platform");
      }
      answer.put("access_token", newAccessToken());
      answer.put("expires_in", 3599);
      answer.put("token_type", "Bearer");
    }
    return answer;
  }

  private JsonNode verify(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      throw new IllegalArgumentException("invalid_grant: the assertion is not a JWT");
    }
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(serviceAccount.getPublic());
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        throw new IllegalArgumentException("invalid_grant: Invalid JWT Signature.");
      }
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      long now = System.currentTimeMillis() / 1000;
      if (!CLIENT_EMAIL.equals(claims.path("iss").asText())) {
        throw new IllegalArgumentException("invalid_grant: unknown issuer " + claims.path("iss").asText());
      }
      // google-auth-library addresses access-token assertions to Google's audience and ID-token ones to the
      // token URI it posts to (the same URL on Google): both are accepted, nothing else
      String audience = claims.path("aud").asText();
      if (!GOOGLE_TOKEN_AUDIENCE.equals(audience) && !tokenUri.equals(audience)) {
        throw new IllegalArgumentException("invalid_grant: the assertion's audience " + claims.path("aud").asText()
            + " is not " + GOOGLE_TOKEN_AUDIENCE);
      }
      if (claims.path("exp").asLong() < now || claims.path("iat").asLong() > now + 300) {
        throw new IllegalArgumentException("invalid_grant: Invalid JWT: Token must be a short-lived token");
      }
      return claims;
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("invalid")) {
        throw (IllegalArgumentException) e;
      }
      throw new IllegalArgumentException("invalid_grant: " + e.getMessage(), e);
    }
  }

  /** An ID token for {@code audience}, as Google Workflows' OIDC auth gets one for each call. */
  String idToken(String audience) {
    String token = sign(audience);
    idTokens.put(token, audience);
    return token;
  }

  /** An ID token as Google's are shaped (RS256 JWT, issuer accounts.google.com), signed by the stand-in. */
  private String sign(String audience) {
    long now = System.currentTimeMillis() / 1000;
    ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT").put("kid", "standin");
    ObjectNode claims = JSON.createObjectNode().put("iss", "https://accounts.google.com").put("aud", audience)
        .put("azp", CLIENT_EMAIL).put("email", CLIENT_EMAIL).put("email_verified", true)
        .put("sub", "1000000000000000000").put("iat", now).put("exp", now + 3600);
    try {
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String unsigned = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
          + b64.encodeToString(JSON.writeValueAsBytes(claims));
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(issuer.getPrivate());
      rsa.update(unsigned.getBytes(StandardCharsets.US_ASCII));
      return unsigned + "." + b64.encodeToString(rsa.sign());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
