package dev.surge.gateway.console;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the samples of some metric families out of a Prometheus text exposition (version 0.0.4), the format every
 * Surge service serves at {@code /metrics}.
 *
 * <p>Written here: the Prometheus Java libraries (and Micrometer) write this format but none reads it, and the
 * console needs a dozen series, not a time-series database. Lines of other families are skipped before their labels
 * are read.
 */
final class MetricsText {

  /** One sample: its metric name, labels and value. */
  record Sample(String name, Map<String, String> labels, double value) {

    String label(String key) {
      return labels.getOrDefault(key, "");
    }
  }

  /** The longest label value read. */
  static final int MAX_LABEL = 200;

  private MetricsText() {
  }

  /** Each sample of the named metrics (the sample names: {@code x_total}, {@code x_bucket}), in order. */
  static void samples(String text, Set<String> names, Consumer<Sample> each) {
    int start = 0;
    int length = text.length();
    while (start < length) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = length;
      }
      if (text.charAt(start) != '#') {
        Sample sample = parse(text, start, end, names);
        if (sample != null) {
          each.accept(sample);
        }
      }
      start = end + 1;
    }
  }

  private static Sample parse(String text, int start, int end, Set<String> names) {
    int nameEnd = start;
    while (nameEnd < end && text.charAt(nameEnd) != '{' && text.charAt(nameEnd) != ' ') {
      nameEnd++;
    }
    String name = text.substring(start, nameEnd);
    if (!names.contains(name)) {
      return null;
    }
    Map<String, String> labels = new HashMap<>();
    int i = nameEnd;
    if (i < end && text.charAt(i) == '{') {
      i++;
      while (i < end && text.charAt(i) != '}') {
        int equals = i;
        while (equals < end && text.charAt(equals) != '=') { // within the line: a broken line costs its length
          equals++;
        }
        if (equals + 1 >= end || text.charAt(equals + 1) != '"') {
          return null;
        }
        String key = text.substring(i, equals).trim();
        StringBuilder value = new StringBuilder();
        int j = equals + 2;
        while (j < end && text.charAt(j) != '"') {
          if (value.length() >= MAX_LABEL) {
            return null; // no label the console reads is this long
          }
          char c = text.charAt(j);
          if (c == '\\' && j + 1 < end) {
            char next = text.charAt(++j);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
          j++;
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (i < end && text.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    String[] rest = text.substring(Math.min(i, end), end).trim().split(" ");
    try {
      return new Sample(name, labels, Double.parseDouble(rest[0]));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
