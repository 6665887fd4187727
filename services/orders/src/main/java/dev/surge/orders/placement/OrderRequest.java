package dev.surge.orders.placement;

import dev.surge.http.JsonInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** The body of {@code POST /orders}, checked whole, and the hash that tells a retry from another request. */
public record OrderRequest(String customerId, List<Line> lines) {

  public static final int MAX_QUANTITY = 1000;
  public static final int MAX_CUSTOMER_ID = 100;

  public record Line(long productId, int quantity) {
  }

  public static OrderRequest read(JsonInput in, int maxLines) {
    in.onlyFields(Set.of("customerId", "lines"), Set.of("id", "status", "createdAt", "updatedAt"));
    String customerId = in.string("customerId", true, 1, MAX_CUSTOMER_ID, null, null);
    Object raw = in.json().getValue("lines");
    List<Line> lines = new ArrayList<>();
    if (!(raw instanceof JsonArray array)) {
      in.error("lines", raw == null ? "is required" : "must be an array of {productId, quantity}", true);
    } else {
      in.error("lines", "must have 1 to " + maxLines + " lines", array.isEmpty() || array.size() > maxLines);
      Set<Long> products = new HashSet<>();
      for (int i = 0; i < array.size() && i < maxLines; i++) {
        String field = "lines[" + i + "]";
        if (!(array.getValue(i) instanceof JsonObject line)) {
          in.error(field, "must be an object {productId, quantity}", true);
          continue;
        }
        Long productId = integer(in, line, field + ".productId", 1, Long.MAX_VALUE);
        Long quantity = integer(in, line, field + ".quantity", 1, MAX_QUANTITY);
        for (String name : line.fieldNames()) {
          in.error(field + "." + name, "is not a known field", !name.equals("productId") && !name.equals("quantity"));
        }
        if (productId != null && !products.add(productId)) {
          in.error(field + ".productId", "is already in another line: give each product once, with its quantity", true);
        }
        if (productId != null && quantity != null) {
          lines.add(new Line(productId, quantity.intValue()));
        }
      }
    }
    in.validate();
    return new OrderRequest(customerId, List.copyOf(lines));
  }

  private static Long integer(JsonInput in, JsonObject line, String field, long min, long max) {
    Object v = line.getValue(field.substring(field.lastIndexOf('.') + 1));
    if (!(v instanceof Integer || v instanceof Long)) {
      in.error(field, v == null ? "is required" : "must be an integer", true);
      return null;
    }
    long n = ((Number) v).longValue();
    in.error(field, "must be from " + min + " to " + max, n < min || n > max);
    return n >= min && n <= max ? n : null;
  }

  /** SHA-256 of the request as it means: the same customer and lines in the same order hash the same. */
  public String hash() {
    StringBuilder canonical = new StringBuilder(customerId).append('\n');
    lines.forEach(l -> canonical.append(l.productId()).append('x').append(l.quantity()).append(';'));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
