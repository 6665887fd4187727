package dev.surge.jobs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
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

  public static final SecretArgs NONE = new SecretArgs(List.of(), List.of());
  public static final String MASK = "***";
  /**
   * Values shorter than this are not masked inside error and progress text (they still are in the arguments):
   * masking a header such as {@code X-Retry: 1} there would garble every digit of every message.
   */
  public static final int MIN_SCRUBBED_LENGTH = 4;
  private static final Pattern PATH = Pattern.compile("[^.*]+(\\.([^.*]+|\\*))*");

  private final List<String[]> paths;
  private final List<String[]> urls;

  private SecretArgs(List<String[]> paths, List<String[]> urls) {
    this.paths = paths;
    this.urls = urls;
  }

  /** Throws {@link IllegalArgumentException} for a path that is empty or has {@code *} other than as a whole name. */
  public static SecretArgs of(String... paths) {
    return new SecretArgs(parsed(paths), List.of());
  }

  /**
   * These secrets, and the URLs at {@code paths}, whose user info, query and fragment are secret (a password, a
   * token in the query string): they read {@code https://***@host/path?***#***}, scheme, host and path kept.
   * A value there that is not a string is masked whole.
   */
  public SecretArgs withUrls(String... paths) {
    List<String[]> all = new ArrayList<>(urls);
    all.addAll(parsed(paths));
    return new SecretArgs(this.paths, List.copyOf(all));
  }

  private static List<String[]> parsed(String... paths) {
    List<String[]> parsed = new ArrayList<>();
    for (String path : paths) {
      if (!PATH.matcher(path).matches()) {
        throw new IllegalArgumentException("not an argument path (such as token, auth.password, headers.*): " + path);
      }
      parsed.add(path.split("\\."));
    }
    return List.copyOf(parsed);
  }

  public boolean isEmpty() {
    return paths.isEmpty() && urls.isEmpty();
  }

  /** A copy of {@code args} with every secret value replaced by {@value #MASK}; {@code args} itself is unchanged. */
  public JsonObject redact(JsonObject args) {
    if (args == null || isEmpty()) {
      return args;
    }
    JsonObject copy = args.copy();
    for (String[] path : paths) {
      mask(copy, path, 0, value -> MASK);
    }
    for (String[] path : urls) {
      mask(copy, path, 0, value -> value instanceof String url ? maskedUrl(url) : MASK);
    }
    return copy;
  }

  /** {@code text} with every secret value of {@code args} (of {@value #MIN_SCRUBBED_LENGTH} characters or more) masked. */
  public String scrub(JsonObject args, String text) {
    if (text == null || args == null || isEmpty()) {
      return text;
    }
    List<String> values = new ArrayList<>();
    for (String[] path : paths) {
      collect(args, path, 0, values);
    }
    for (String[] path : urls) {
      List<String> found = new ArrayList<>();
      collect(args, path, 0, found);
      found.forEach(url -> values.addAll(new Url(url).secrets()));
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

  private static void mask(JsonObject node, String[] path, int at, UnaryOperator<Object> masked) {
    Set<String> names = path[at].equals("*") ? Set.copyOf(node.fieldNames()) : Set.of(path[at]);
    for (String name : names) {
      if (!node.containsKey(name)) {
        continue;
      }
      if (at == path.length - 1) {
        node.put(name, masked.apply(node.getValue(name)));
      } else if (node.getValue(name) instanceof JsonObject child) {
        mask(child, path, at + 1, masked);
      }
    }
  }

  /** {@code url} with its user info, query and fragment, where it has them, as {@value #MASK}. */
  static String maskedUrl(String url) {
    Url parts = new Url(url);
    if (parts.unclear) {
      return MASK;
    }
    StringBuilder out = new StringBuilder(url.substring(0, parts.authority));
    out.append(parts.userInfo == null ? "" : MASK + "@").append(url, parts.host, parts.pathEnd);
    if (parts.query != null) {
      out.append('?').append(MASK);
    }
    if (parts.fragment != null) {
      out.append('#').append(MASK);
    }
    return out.toString();
  }

  /**
   * Where a URL's parts lie, as RFC 3986's appendix B splits any URI reference. Written here rather than read with
   * {@link java.net.URI}, which refuses what a job's arguments may still hold (a space, say) and would then leave
   * the whole URL in clear.
   */
  private static final class Url {
    final int authority;
    final int host;
    final int pathEnd;
    final String userInfo;
    final String query;
    final String fragment;

    /** Where no {@code scheme://authority} can be told for sure: the whole value is then secret. */
    final boolean unclear;
    private final String whole;

    Url(String url) {
      whole = url;
      int scheme = url.indexOf("://");
      boolean hasScheme = scheme > 0 && url.substring(0, scheme).chars().allMatch(c -> Character.isLetterOrDigit(c)
        || c == '+' || c == '.' || c == '-');
      authority = hasScheme ? scheme + 3 : 0;
      int cut = firstOf(url, "?#", authority);
      int at = url.lastIndexOf('@', cut - 1);
      int slash = url.indexOf('/', authority);
      // No scheme, a backslash (parsers disagree on it), or an @ after a / (a password's or a path's: cannot tell).
      unclear = !hasScheme || url.indexOf('\\') >= 0 || at >= authority && slash >= 0 && slash < at;
      int authorityEnd = firstOf(url, "/?#", Math.max(authority, at + 1));
      userInfo = at >= authority ? url.substring(authority, at) : null;
      host = userInfo == null ? authority : at + 1;
      int hash = url.indexOf('#', authorityEnd);
      int end = hash < 0 ? url.length() : hash;
      int question = url.indexOf('?', authorityEnd);
      boolean hasQuery = question >= 0 && question < end;
      pathEnd = hasQuery ? question : end;
      query = hasQuery ? url.substring(question + 1, end) : null;
      fragment = hash < 0 ? null : url.substring(hash + 1);
    }

    /** The secret parts, to mask wherever they appear in a message. */
    List<String> secrets() {
      List<String> secrets = new ArrayList<>();
      if (unclear) {
        secrets.add(whole);
        return secrets;
      }
      String password = userInfo == null || userInfo.indexOf(':') < 0 ? null
        : userInfo.substring(userInfo.indexOf(':') + 1);
      for (String part : new String[] {userInfo, password, query, fragment}) {
        if (part != null && !part.isEmpty()) {
          secrets.add(part);
        }
      }
      return secrets;
    }

    private static int firstOf(String s, String chars, int from) {
      for (int i = from; i < s.length(); i++) {
        if (chars.indexOf(s.charAt(i)) >= 0) {
          return i;
        }
      }
      return s.length();
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
