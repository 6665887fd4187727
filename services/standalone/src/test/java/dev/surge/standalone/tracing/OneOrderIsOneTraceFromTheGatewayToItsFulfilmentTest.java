package dev.surge.standalone.tracing;

import dev.surge.catalog.CatalogMain;
import dev.surge.gateway.GatewayMain;
import dev.surge.orders.OrdersMain;
import dev.surge.testing.LoopbackCluster;
import dev.surge.testing.TestService;
import dev.surge.testing.TracedSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
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

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three processes' worth of Vert.x in one JVM, each with its own tracing, as separate containers would run them:
 * the gateway, orders and the catalog, the last two clustered. An order placed through the gateway, with the
 * client's {@code traceparent}, is one trace: the gateway's server and client spans, orders' server span, its
 * request to the catalog over the clustered event bus, the catalog's side of it and its SQL, and the attempt of the
 * {@code order.fulfil} job that confirms the order, on orders' node, after the request was answered. A line the
 * catalog refuses marks that reservation's spans as errors. Orders placed at once, whose reservations and writes
 * share batches, each go on in their own trace.
 */
class OneOrderIsOneTraceFromTheGatewayToItsFulfilmentTest {

  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  private static final String RESERVE = "catalog.stock.reserve";
  private static final LoopbackCluster CLUSTER = LoopbackCluster.of(2);

  @RegisterExtension
  @Order(1)
  static final TracedSpans spans = new TracedSpans();

  private static TestService catalog;
  private static TestService orders;
  private static TestService gateway;

  private static Map<String, Object> member(int index, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(TracedSpans.TRACED);
    config.putAll(extra);
    return CLUSTER.member(index, config);
  }

  @BeforeAll
  static void start() {
    catalog = TestService.start(CatalogMain.definition(), member(0, Map.of()));
    orders = TestService.anotherNode(catalog, OrdersMain.definition(), member(1, Map.of("jobs.pollInterval", "100ms")));
    Map<String, Object> front = new HashMap<>(TracedSpans.TRACED);
    // Each order's trace is found by the trace id its client sent: the gateway continues it (its default, a trace
    // of its own linked to the client's, is AClientsTraceIsLinkedFromATraceOfTheGatewaysOwnTest's).
    front.put("tracing.callerTraces", "decide");
    front.put("gateway.upstreams.catalog", "127.0.0.1:" + catalog.port());
    front.put("gateway.upstreams.orders", "127.0.0.1:" + orders.port());
    gateway = TestService.start(GatewayMain.definition(), front);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    orders.close();
    catalog.close();
  }

  private static String service(SpanData span) {
    return span.getResource().getAttribute(SERVICE);
  }

  private static long product(int stock) {
    return catalog.postJson("/products", new JsonObject().put("sku", "TRACED-" + UUID.randomUUID()).put("name", "Traced")
      .put("price", 100).put("currency", "EUR").put("stock", stock)).bodyAsJsonObject().getLong("id");
  }

  private static int place(String trace, long... productAndQuantity) {
    return placed(trace, productAndQuantity).statusCode();
  }

  private static io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> placed(String trace,
                                                                                       long... productAndQuantity) {
    JsonArray lines = new JsonArray();
    for (int i = 0; i < productAndQuantity.length; i += 2) {
      lines.add(new JsonObject().put("productId", productAndQuantity[i]).put("quantity", productAndQuantity[i + 1]));
    }
    return gateway.send(HttpMethod.POST, "/api/orders/orders", MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json").add("Idempotency-Key", UUID.randomUUID().toString())
        .add("traceparent", "00-" + trace + "-00f067aa0ba902b7-01"),
      new JsonObject().put("customerId", "traced").put("lines", lines).encode());
  }

  @Test
  void anOrderThroughTheGatewayIsOneTraceUntilItsFulfilmentJobHasRun() {
    String trace = "11111111111111111111111111111111".substring(0, 24) + "a1b2c3d4";
    var placed = placed(trace, product(5), 1);
    assertThat(placed.statusCode()).isEqualTo(201);
    assertThat(placed.bodyAsJsonObject().getString("traceId")).as("the order leads to its trace").isEqualTo(trace);
    String order = placed.bodyAsJsonObject().getString("id");
    assertThat(gateway.get("/api/orders/orders/" + order).bodyAsJsonObject().getString("traceId"))
      .as("as stored").isEqualTo(trace);

    SpanData job = spans.await("for the order's fulfilment", s -> s.getTraceId().equals(trace)
      && s.getName().equals("job order.fulfil"));
    assertThat(service(job)).isEqualTo("orders");
    assertThat(job.getKind()).isEqualTo(SpanKind.CONSUMER);
    List<SpanData> all = spans.trace(trace);
    String seen = TracedSpans.describe(all);
    assertThat(all).as(seen).anyMatch(s -> service(s).equals("gateway") && s.getKind() == SpanKind.SERVER
      && s.getParentSpanId().equals("00f067aa0ba902b7"));
    assertThat(all).as(seen).anyMatch(s -> service(s).equals("gateway") && s.getKind() == SpanKind.CLIENT);
    assertThat(all).as(seen).anyMatch(s -> service(s).equals("orders") && s.getKind() == SpanKind.SERVER
      && s.getName().equals("POST /orders"));
    assertThat(all).as(seen).anyMatch(s -> service(s).equals("orders") && s.getKind() == SpanKind.CLIENT
      && RESERVE.equals(s.getAttributes().get(DESTINATION)));
    assertThat(all).as(seen).anyMatch(s -> service(s).equals("catalog") && s.getKind() == SpanKind.SERVER
      && RESERVE.equals(s.getAttributes().get(DESTINATION)));
    assertThat(all).as(seen).anyMatch(s -> service(s).equals("catalog") && s.getKind() == SpanKind.CLIENT
      && "postgresql".equals(s.getAttributes().get(AttributeKey.stringKey("db.system"))));
    assertThat(all).as(seen).anyMatch(s -> s.getParentSpanId().equals(job.getSpanId()));
  }

  @Test
  void aLineTheCatalogRefusesMarksItsReservationAsAnError() {
    String trace = "22222222222222222222222222222222".substring(0, 24) + "e5f6a7b8";
    assertThat(place(trace, product(1), 5)).isEqualTo(409);

    SpanData refused = spans.await("for the refused reservation", s -> s.getTraceId().equals(trace)
      && s.getStatus().getStatusCode() == StatusCode.ERROR);
    assertThat(service(refused)).isEqualTo("catalog");
    assertThat(refused.getAttributes().get(DESTINATION)).as(TracedSpans.describe(spans.trace(trace))).isEqualTo(RESERVE);
    assertThat(refused.getStatus().getDescription()).isEqualTo("insufficient-stock");
  }

  @Test
  void ordersPlacedAtOnceEachKeepTheirOwnTraceThroughTheBatchesTheyShare() {
    long product = product(1000);
    List<String> traces = new java.util.ArrayList<>();
    List<java.util.concurrent.CompletableFuture<Integer>> placed = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String trace = String.format("%024x", 0xabcdefL) + String.format("%08x", i + 1);
      traces.add(trace);
      placed.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> place(trace, product, 1)));
    }
    assertThat(placed).allSatisfy(p -> assertThat(p.join()).isEqualTo(201));
    for (String trace : traces) {
      SpanData published = spans.await("for the order of trace " + trace, s -> s.getTraceId().equals(trace)
        && "orders.placed".equals(s.getAttributes().get(DESTINATION)));
      List<SpanData> all = spans.trace(trace);
      SpanData server = all.stream().filter(s -> service(s).equals("orders") && s.getKind() == SpanKind.SERVER)
        .findFirst().orElseThrow(() -> new AssertionError(TracedSpans.describe(all)));
      assertThat(published.getParentSpanId()).as("the order's own request, after the batches it waited on: "
        + TracedSpans.describe(all)).isEqualTo(server.getSpanId());
    }
  }
}
