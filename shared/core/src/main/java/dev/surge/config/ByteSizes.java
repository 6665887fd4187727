package dev.surge.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human sizes for configuration: {@code 1048576}, {@code 64KiB}, {@code 1MiB}; every unit is a power of 1024. */
public final class ByteSizes {

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,15})\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  private ByteSizes() {
  }

  public static long parse(String text) {
    Matcher m = FORMAT.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: " + text);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    return switch (unit.charAt(0)) {
      case 'k' -> Math.multiplyExact(n, 1024L);
      case 'm' -> Math.multiplyExact(n, 1024L * 1024);
      case 'g' -> Math.multiplyExact(n, 1024L * 1024 * 1024);
      default -> n;
    };
  }

  public static String format(long bytes) {
    if (bytes != 0 && bytes % (1024L * 1024 * 1024) == 0) {
      return bytes / (1024L * 1024 * 1024) + "GiB";
    }
    if (bytes != 0 && bytes % (1024L * 1024) == 0) {
      return bytes / (1024L * 1024) + "MiB";
    }
    if (bytes != 0 && bytes % 1024 == 0) {
      return bytes / 1024 + "KiB";
    }
    return String.valueOf(bytes);
  }
}
