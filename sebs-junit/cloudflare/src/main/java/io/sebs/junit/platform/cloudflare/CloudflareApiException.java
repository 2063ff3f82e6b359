package io.sebs.junit.platform.cloudflare;

import java.util.List;

/**
 * A refused Cloudflare API request: Cloudflare answers {@code {"success": false, "errors": [{"code", "message"}]}},
 * and this carries those errors with the request, so a failure reads as Cloudflare wrote it (e.g. {@code 10000
 * Authentication error} for a token without Workers Scripts:Edit).
 */
public final class CloudflareApiException extends IllegalStateException {

  /** One of Cloudflare's errors. */
  public record Error(int code, String message) {
    @Override
    public String toString() {
      return code + " " + message;
    }
  }

  private final int status;
  private final List<Error> errors;

  CloudflareApiException(String request, int status, List<Error> errors, String body) {
    super("Cloudflare API " + request + " failed (HTTP " + status + "): "
        + (errors.isEmpty() ? "no errors listed; body: " + abbreviate(body) : "error " + errors.stream()
            .map(Error::toString).reduce((a, b) -> a + "; error " + b).orElse("")));
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  public List<Error> errors() {
    return errors;
  }

  /** Whether Cloudflare gave this error code. */
  public boolean hasCode(int code) {
    return errors.stream().anyMatch(e -> e.code() == code);
  }

  private static String abbreviate(String body) {
    String b = body == null ? "" : body.strip();
    return b.length() <= 300 ? b : b.substring(0, 300) + "...";
  }
}
