package dev.surge.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The load clients' command line: {@code --name value} pairs (FlashSaleLoad, SteadyLoad). */
public final class LoadOptions {

  private LoadOptions() {
  }

  public static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }
}
