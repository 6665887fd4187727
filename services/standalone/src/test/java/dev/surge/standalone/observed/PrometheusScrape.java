package dev.surge.standalone.observed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The series of Prometheus text scrapes, each a metric name and its labels, as Prometheus stores them. */
final class PrometheusScrape {

  private static final Pattern SERIES = Pattern.compile("([a-zA-Z_:][\\w:]*)(?:\\{(.*)})?\\s+\\S+(?:\\s+\\d+)?");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Map<String, List<Map<String, String>>> series = new LinkedHashMap<>();

  /**
   * The series of every scrape, each with the labels Prometheus adds on a scrape ({@code targetLabels}, such as
   * {@code job} and {@code instance}).
   */
  static PrometheusScrape of(List<String> scrapes, List<String> targetLabels) {
    PrometheusScrape all = new PrometheusScrape();
    for (String scrape : scrapes) {
      for (String line : scrape.split("\n")) {
        Matcher m = SERIES.matcher(line);
        if (line.startsWith("#") || !m.matches()) {
          continue;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        targetLabels.forEach(label -> labels.put(label, "target"));
        if (m.group(2) != null) {
          Matcher label = LABEL.matcher(m.group(2));
          while (label.find()) {
            labels.put(label.group(1), label.group(2));
          }
        }
        all.series.computeIfAbsent(m.group(1), n -> new ArrayList<>()).add(labels);
      }
    }
    return all;
  }

  boolean has(String metric) {
    return series.containsKey(metric);
  }

  /** The series of {@code metric} that lack {@code label}. */
  List<Map<String, String>> without(String metric, String label) {
    return series.getOrDefault(metric, List.of()).stream().filter(s -> !s.containsKey(label)).toList();
  }
}
