package function;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.StringWriter;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * 110.dynamic-html: render an HTML page with mustache.java.
 *
 * <p>The template is a classpath resource (src/main/resources/templates), found whatever the working
 * directory; it is compiled once, when the first request loads this class, as the Python version builds
 * its jinja2 environment on import. Mustache escapes {{...}} for HTML, as jinja2's autoescape does.
 */
public final class Function {

  static final int NUMBER_LIMIT = 1_000_000;
  private static final Mustache TEMPLATE = new DefaultMustacheFactory("templates").compile("template.html");

  private Function() {}

  public static Map<String, Object> handler(Map<String, Object> event) throws IOException {
    Object username = event.get("username");
    Object length = event.get("random_len");
    if (!(length instanceof Number)) {
      throw new IllegalArgumentException("event['random_len'] must be a number, got " + length);
    }
    int count = ((Number) length).intValue();
    if (count < 0) {
      throw new IllegalArgumentException("event['random_len'] must not be negative, got " + count);
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    List<Integer> numbers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      numbers.add(random.nextInt(NUMBER_LIMIT));
    }
    Map<String, Object> scope = new HashMap<>();
    scope.put("username", username);
    scope.put("cur_time", OffsetDateTime.now(ZoneOffset.UTC).toString());
    scope.put("random_numbers", numbers);
    StringWriter page = new StringWriter(256 + 24 * count);
    TEMPLATE.execute(page, scope).flush();
    return Map.of("result", page.toString());
  }
}
