package dev.surge.standalone.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A curl command line as the documentation writes it: the options the docs use ({@code -s -i -N}, {@code -H},
 * {@code -d}, {@code -X}), the URL, and nothing after a pipe or a comment. Enough of the shell's quoting to read
 * them (single and double quotes, a backslash at a line's end); anything else it does not know fails the test that
 * reads it, so the docs cannot drift into commands no test replays.
 */
record Curl(String line, String method, String target, Map<String, String> headers, String body) {

  private static final Pattern BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

  /** Every curl to {@code host} in the markdown's {@code sh} blocks, in order. */
  static List<Curl> in(String markdown, String host) {
    List<Curl> curls = new ArrayList<>();
    Matcher block = BLOCK.matcher(markdown);
    while (block.find()) {
      String text = block.group(1).replace("\\\n", " ");
      for (String line : text.split("\n")) {
        String trimmed = line.trim();
        if (trimmed.startsWith("curl ") && trimmed.contains(host)) {
          curls.add(parse(trimmed, host));
        }
      }
    }
    return curls;
  }

  static Curl parse(String line, String host) {
    List<String> words = words(line);
    String method = null;
    String url = null;
    String body = null;
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < words.size(); i++) {
      String word = words.get(i);
      switch (word) {
        case "-H" -> {
          String header = words.get(++i);
          int colon = header.indexOf(':');
          headers.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
        }
        case "-d" -> body = words.get(++i);
        case "-X" -> method = words.get(++i);
        default -> {
          if (word.startsWith("-") && word.substring(1).chars().allMatch(c -> "siN".indexOf(c) >= 0)) {
            continue; // silent, include headers, no buffering: how it prints, not what it sends
          }
          if (!word.startsWith(host) || url != null) {
            throw new IllegalArgumentException("a curl option or word the docs' replay does not know: " + word
              + " in: " + line);
          }
          url = word;
        }
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("no URL to " + host + " in: " + line);
    }
    return new Curl(line, method != null ? method : body != null ? "POST" : "GET", url.substring(host.length()),
      headers, body);
  }

  /** The words before a pipe or a comment, quotes taken off. */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (c == ' ' || c == '\t') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else if (c == '|' || (c == '#' && word == null)) {
        break;
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("an unclosed quote in: " + line);
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
