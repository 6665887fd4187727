package dev.surge.catalog.products;

/** If-Match and If-None-Match against one entity tag (RFC 9110 §13.1): a list of tags, or {@code *}. */
final class EntityTags {

  private EntityTags() {
  }

  /**
   * Whether {@code header} names {@code etag}. If-None-Match compares weakly (a {@code W/} prefix is ignored);
   * If-Match compares strongly (a weak tag never matches).
   */
  static boolean matches(String header, String etag, boolean weak) {
    if (header == null) {
      return false;
    }
    for (String candidate : header.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*")) {
        return true;
      }
      if (tag.startsWith("W/")) {
        if (!weak) {
          continue;
        }
        tag = tag.substring(2);
      }
      if (tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
