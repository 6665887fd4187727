package dev.surge.jobs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The arguments of a job type that are secret, declared with the type ({@link JobQueue#register(String,
 * io.vertx.core.ThreadingModel, JobHandler, SecretArgs)}): only its handler sees them. Every job the queue gives back
 * (enqueue, get, list, cancel, retry) carries them masked as {@value #MASK}, and their values are masked in the
 * error and progress text stored, logged and published for the job.
 *
 * <p>A path names an argument: {@code token}, {@code auth.password}, or {@code headers.*} for every value of the
 * object {@code headers} (its member names stay readable). A secret that is an object or array is masked whole.
 */
public final class SecretArgs {

  public static final SecretArgs NONE = new SecretArgs(List.of());
  public static final String MASK = "***";
  /**
   * Values shorter than this are not masked inside error and progress text (they still are in the arguments):
   * masking a header such as {@code X-Retry: 1} there would garble every digit of every message.
   */
  public static final int MIN_SCRUBBED_LENGTH = 4;
  private static final Pattern PATH = Pattern.compile("[^.*]+(\\.([^.*]+|\\*))*");

  private final List<String[]> paths;

  private SecretArgs(List<String[]> paths) {
    this.paths = paths;
  }

  /** Throws {@link IllegalArgumentException} for a path that is empty or has {@code *} other than as a whole name. */
  public static SecretArgs of(String... paths) {
    List<String[]> parsed = new ArrayList<>();
    for (String path : paths) {
      if (!PATH.matcher(path).matches()) {
        throw new IllegalArgumentException("not an argument path (such as token, auth.password, headers.*): " + path);
      }
      parsed.add(path.split("\\."));
    }
    return new SecretArgs(List.copyOf(parsed));
  }

  public boolean isEmpty() {
    return paths.isEmpty();
  }

  /** A copy of {@code args} with every secret value replaced by {@value #MASK}; {@code args} itself is unchanged. */
  public JsonObject redact(JsonObject args) {
    if (args == null || paths.isEmpty()) {
      return args;
    }
    JsonObject copy = args.copy();
    for (String[] path : paths) {
      mask(copy, path, 0);
    }
    return copy;
  }

  /** {@code text} with every secret value of {@code args} (of {@value #MIN_SCRUBBED_LENGTH} characters or more) masked. */
  public String scrub(JsonObject args, String text) {
    if (text == null || args == null || paths.isEmpty()) {
      return text;
    }
    List<String> values = new ArrayList<>();
    for (String[] path : paths) {
      collect(args, path, 0, values);
    }
    // Longest first, so that a secret containing another is masked whole.
    values.sort(Comparator.comparingInt(String::length).reversed());
    String scrubbed = text;
    for (String value : values) {
      if (value.length() >= MIN_SCRUBBED_LENGTH) {
        scrubbed = scrubbed.replace(value, MASK);
      }
    }
    return scrubbed;
  }

  private static void mask(JsonObject node, String[] path, int at) {
    Set<String> names = path[at].equals("*") ? Set.copyOf(node.fieldNames()) : Set.of(path[at]);
    for (String name : names) {
      if (!node.containsKey(name)) {
        continue;
      }
      if (at == path.length - 1) {
        node.put(name, MASK);
      } else if (node.getValue(name) instanceof JsonObject child) {
        mask(child, path, at + 1);
      }
    }
  }

  private static void collect(JsonObject node, String[] path, int at, List<String> values) {
    for (Map.Entry<String, Object> entry : node) {
      if (!path[at].equals("*") && !path[at].equals(entry.getKey())) {
        continue;
      }
      if (at == path.length - 1) {
        leaves(entry.getValue(), values);
      } else if (entry.getValue() instanceof JsonObject child) {
        collect(child, path, at + 1, values);
      }
    }
  }

  /** Every scalar inside a secret value, as text: a secret object or array is secret throughout. */
  private static void leaves(Object value, List<String> values) {
    if (value instanceof JsonObject object) {
      object.forEach(e -> leaves(e.getValue(), values));
    } else if (value instanceof JsonArray array) {
      array.forEach(v -> leaves(v, values));
    } else if (value != null) {
      values.add(String.valueOf(value));
    }
  }
}
