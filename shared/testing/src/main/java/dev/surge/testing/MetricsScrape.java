package dev.surge.testing;

import java.util.function.DoubleSupplier;

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

  /** Polls a value read from the metrics until it reaches {@code atLeast}; fails after about ten seconds. */
  public static void awaitAtLeast(DoubleSupplier value, String what, double atLeast) {
    for (int i = 0; i < 500; i++) {
      if (value.getAsDouble() >= atLeast) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(what + " never reached " + atLeast);
  }
}
