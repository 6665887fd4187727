package dev.surge.standalone.observed;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one PromQL query of a dashboard needs from the metrics: the metrics it reads, the labels it groups by or
 * matches on or joins on, and the labels its legend names. Enough of PromQL for the queries a dashboard holds
 * (selectors, ranges, functions, aggregations with {@code by}/{@code without}, binary operators with
 * {@code on}/{@code ignoring}/{@code group_left}/{@code group_right}); not a full parser.
 */
record DashboardQuery(String expr, Set<String> metrics, Map<String, Set<String>> matchedLabels,
                      Set<String> groupedBy, Set<String> legendLabels) {

  private static final String STRING = "\"(?:[^\"\\\\]|\\\\.)*\"";
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][\\w:]*)\\s*\\{((?:[^}\"]|" + STRING + ")*)}");
  private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(?:=~|!~|!=|=)\\s*" + STRING);
  private static final Pattern LABEL_LIST = Pattern.compile(
    "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][\\w:]*");
  private static final Pattern LEGEND = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
    "bool", "and", "or", "unless", "offset");

  static DashboardQuery parse(String expr, String legendFormat) {
    Map<String, Set<String>> matched = new LinkedHashMap<>();
    StringBuilder rest = new StringBuilder();
    Matcher selector = SELECTOR.matcher(expr);
    while (selector.find()) {
      Set<String> labels = matched.computeIfAbsent(selector.group(1), m -> new LinkedHashSet<>());
      Matcher matcher = MATCHER.matcher(selector.group(2));
      while (matcher.find()) {
        labels.add(matcher.group(1));
      }
      selector.appendReplacement(rest, Matcher.quoteReplacement(selector.group(1)));
    }
    selector.appendTail(rest);

    Set<String> grouped = new LinkedHashSet<>();
    StringBuilder bare = new StringBuilder();
    Matcher list = LABEL_LIST.matcher(rest);
    while (list.find()) {
      for (String label : list.group(2).split(",")) {
        if (!label.isBlank()) {
          grouped.add(label.trim());
        }
      }
      list.appendReplacement(bare, " ");
    }
    list.appendTail(bare);

    String names = RANGE.matcher(bare).replaceAll(" ");
    Set<String> metrics = new LinkedHashSet<>();
    Matcher name = NAME.matcher(names);
    while (name.find()) {
      boolean function = names.substring(name.end()).stripLeading().startsWith("(");
      boolean number = name.start() > 0 && Character.isDigit(names.charAt(name.start() - 1));
      if (!function && !number && !KEYWORDS.contains(name.group())) {
        metrics.add(name.group());
      }
    }

    Set<String> legend = new LinkedHashSet<>();
    Matcher label = LEGEND.matcher(legendFormat == null ? "" : legendFormat);
    while (label.find()) {
      legend.add(label.group(1));
    }
    return new DashboardQuery(expr, metrics, matched, grouped, legend);
  }

  /** Every label the query needs on {@code metric}: those it groups, joins or matches on, and its legend's. */
  Set<String> labelsOf(String metric) {
    Set<String> labels = new LinkedHashSet<>(groupedBy);
    labels.addAll(legendLabels);
    labels.addAll(matchedLabels.getOrDefault(metric, Set.of()));
    return labels;
  }
}
