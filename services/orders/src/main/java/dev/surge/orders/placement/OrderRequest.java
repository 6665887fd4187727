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
        if (!(array.getValue(i) instanceof JsonObject)) {
          in.error(field, "must be an object {productId, quantity}", true);
          continue;
        }
        JsonInput line = in.nested(field, array.getValue(i)).onlyFields(Set.of("productId", "quantity"), Set.of());
        Long productId = line.integer("productId", true, 1, Long.MAX_VALUE);
        Long quantity = line.integer("quantity", true, 1, MAX_QUANTITY);
        if (productId != null && !products.add(productId)) {
          line.error("productId", "is already in another line: give each product once, with its quantity", true);
        }
        if (productId != null && quantity != null) {
          lines.add(new Line(productId, quantity.intValue()));
        }
      }
    }
    in.validate();
    return new OrderRequest(customerId, List.copyOf(lines));
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
