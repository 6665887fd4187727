package dev.surge.testing;

/** Reads values out of a Prometheus text scrape. */
public final class MetricsScrape {

  private MetricsScrape() {
  }

  /** The sum of every sample of {@code name} whose labels contain each of {@code labels} (such as {@code cache="products"}). */
  public static double sum(String scrape, String name, String... labels) {
    double total = 0;
    for (String line : scrape.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
