package dev.surge.standalone.tracing;

import dev.surge.standalone.AllInOne;
import dev.surge.testing.TracedSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In the all-in-one every service runs in one process, on one tracing named after the process ({@code standalone},
 * as {@code ./surge standalone} names it). A trace viewer tells services apart by the name each span goes out under:
 * the gateway's, orders', the catalog's and the fulfilment job's spans go out under their own service's name, as
 * they do when each runs in a process of its own, not all under the process's.
 */
class EachServiceOfTheAllInOneNamesItsOwnSpansTest {

  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");

  @RegisterExtension
  @Order(1)
  static final TracedSpans spans = new TracedSpans();

  private static AllInOne platform;

  @BeforeAll
  static void start() throws IOException {
    Map<String, Object> process = new HashMap<>(TracedSpans.TRACED);
    process.put("tracing.serviceName", "standalone");
    // The order's trace is found by the trace id its client sent, which the gateway is told to continue.
    platform = AllInOne.start(Map.of("tracing.callerTraces", "decide"), process);
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  private static String service(SpanData span) {
    return span.getResource().getAttribute(SERVICE);
  }

  @Test
  void anOrdersSpansGoOutUnderTheNamesOfTheServicesThatMadeThem() {
    long product = platform.catalog.postJson("/products", new JsonObject().put("sku", "NAMED-" + UUID.randomUUID())
      .put("name", "Named").put("price", 100).put("currency", "EUR").put("stock", 5)).bodyAsJsonObject().getLong("id");
    String trace = "33333333333333333333333333333333".substring(0, 24) + "c0ffee00";
    var placed = platform.gateway.send(HttpMethod.POST, "/api/orders/orders", MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json").add("Idempotency-Key", UUID.randomUUID().toString())
        .add("traceparent", "00-" + trace + "-00f067aa0ba902b7-01"),
      new JsonObject().put("customerId", "named").put("lines", new JsonArray()
        .add(new JsonObject().put("productId", product).put("quantity", 1))).encode());
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);

    SpanData job = spans.await("for the order's fulfilment", s -> s.getTraceId().equals(trace)
      && s.getName().equals("job order.fulfil"));
    List<SpanData> all = spans.trace(trace);
    String seen = TracedSpans.describe(all) + "\nservices: " + all.stream().map(s -> s.getName() + "=" + service(s))
      .toList();
    assertThat(all).as(seen).noneMatch(s -> service(s).equals("standalone"));
    assertThat(service(job)).as(seen).isEqualTo("orders");
    assertThat(all).as(seen).anyMatch(s -> service(s).equals("gateway") && s.getKind() == SpanKind.SERVER);
    assertThat(all).as(seen).anyMatch(s -> service(s).equals("gateway") && s.getKind() == SpanKind.CLIENT);
    assertThat(all).as(seen).anyMatch(s -> service(s).equals("orders") && s.getKind() == SpanKind.SERVER
      && s.getName().equals("POST /orders"));
    assertThat(all).as(seen).anyMatch(s -> service(s).equals("catalog") && s.getKind() == SpanKind.SERVER
      && "catalog.stock.reserve".equals(s.getAttributes().get(DESTINATION)));
  }
}
