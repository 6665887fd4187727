package dev.surge.config;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of what the process prints: a URL's password (in its user info or a query parameter such as
 * {@code password=} or {@code token=}) wherever a URL appears in a text, and the values of a configuration's
 * secret keys.
 * Written here, not taken from a library: Logback and Vert.x have no masking of their own for a message.
 */
public final class Secrets {

  public static final String MASK = "****";

  /**
   * {@code scheme://user:password@}: the password runs to the last {@code @} before a space or quote, so one with
   * a {@code /}, {@code :} or {@code @} in it (not percent-encoded, as a hand-written value often is) is masked whole.
   */
  private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*://[^\\s\"':@/?#]*):([^\\s\"']*)@");
  /**
   * {@code ?password=...}, {@code &sslpassword=...}, {@code ?token=...}, {@code &api_key=...}, {@code &sig=...}: a
   * credential among a URL's query parameters (a webhook's URL often carries its token or signature so).
   */
  private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)([?&;](?:[a-z_.\\-]*(?:password|passwd|pwd|token"
    + "|secret|api[_\\-]?key|apikey|signature|credential)|key|sig|auth|code)=)([^&;#\\s\"']*)");

  /**
   * A URL with all but its scheme, host and port masked ({@code https://hooks.example/****}): for a URL whose path is
   * itself the credential, as a Slack or Discord webhook's is. Where the host cannot be told for sure (an {@code @}
   * after a {@code /}: a password's or a path's), only the scheme shows; text that is no such URL is masked whole.
   */
  public static String maskUrlBeyondHost(String url) {
    int scheme = url == null ? -1 : url.indexOf("://");
    if (scheme <= 0 || url.indexOf('\\') >= 0) {
      return MASK;
    }
    String rest = url.substring(scheme + 3);
    int end = firstOf(rest, "?#", 0);
    int at = rest.lastIndexOf('@', end - 1);
    int slash = rest.indexOf('/');
    if (at >= 0 && slash >= 0 && slash < at) {
      return url.substring(0, scheme + 3) + MASK;
    }
    int hostEnd = firstOf(rest, "/?#", at + 1);
    return url.substring(0, scheme + 3) + rest.substring(at + 1, hostEnd) + "/" + MASK;
  }

  private static int firstOf(String s, String chars, int from) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }

  /** Each secret as it may appear in a text, longest first, and what it is shown as instead. */
  private final Map<String, String> replacements;

  private Secrets(Map<String, String> replacements) {
    this.replacements = replacements;
  }

  /** The text with every URL password in it masked. */
  public static String maskUrlPasswords(String text) {
    if (text == null || text.indexOf("://") < 0 && text.indexOf('=') < 0) {
      return text;
    }
    String masked = USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
    return QUERY_PASSWORD.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
  }

  /** The secrets a configuration holds: each secret key's value, and every password of a URL among its values. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Secrets of(SurgeConfig config) {
    Map<String, String> found = new HashMap<>();
    for (ConfigKey key : config.keys()) {
      Object value = config.get(key);
      if (value == null) {
        continue;
      }
      String text = String.valueOf(value);
      if (key.secret()) {
        found.put(text, key.mask(text)); // a URL keeps its host in sight, a token becomes ****
      }
      passwords(text, found);
    }
    found.keySet().removeIf(v -> v.length() < 3); // too short to tell from ordinary text
    Map<String, String> longestFirst = new LinkedHashMap<>();
    found.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
      .forEach(v -> longestFirst.put(v, found.get(v)));
    return new Secrets(longestFirst);
  }

  /** The text with every known secret and every URL password masked. */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String masked = text;
    for (Map.Entry<String, String> secret : replacements.entrySet()) {
      masked = masked.replace(secret.getKey(), secret.getValue());
    }
    return maskUrlPasswords(masked);
  }

  /** A failure as a log shows it, its causes and stack included, with every secret masked. */
  public String mask(Throwable failure) {
    StringWriter out = new StringWriter();
    failure.printStackTrace(new PrintWriter(out));
    return mask(out.toString());
  }

  private static void passwords(String text, Map<String, String> out) {
    for (Pattern pattern : List.of(USER_INFO, QUERY_PASSWORD)) {
      Matcher password = pattern.matcher(text);
      while (password.find()) {
        addDecoded(password.group(2), out);
      }
    }
  }

  private static void addDecoded(String password, Map<String, String> out) {
    out.put(password, MASK);
    try {
      out.put(URLDecoder.decode(password, StandardCharsets.UTF_8), MASK);
    } catch (IllegalArgumentException e) {
      // not percent-encoded: the raw form is enough
    }
  }
}
