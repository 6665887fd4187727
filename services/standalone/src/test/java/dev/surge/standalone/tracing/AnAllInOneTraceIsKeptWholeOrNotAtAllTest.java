package dev.surge.standalone.tracing;

import dev.surge.Launcher;
import dev.surge.catalog.CatalogMain;
import dev.surge.standalone.AllInOne;
import dev.surge.testing.TracedSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In the all-in-one every service shares one tracing, and the gateway calls the others over loopback HTTP. At a
 * ratio under 1, a trace the gateway keeps is kept by the service behind it and one it drops is dropped there too:
 * the gateway decides for its clients, the services follow the gateway. (When the process decided as the gateway
 * does for every service, each decided again at random, and kept traces came out in pieces.) Here with
 * {@code tracing.callerTraces=decide} set for the whole process, as an operator would set it for the gateway
 * ({@code SURGE_TRACING_CALLER_TRACES}), and what the launcher pins for the catalog over it.
 */
class AnAllInOneTraceIsKeptWholeOrNotAtAllTest {

  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("surge.request.id");
  private static final int REQUESTS = 40;

  @RegisterExtension
  @Order(1)
  static final TracedSpans spans = new TracedSpans();

  private static AllInOne platform;

  @BeforeAll
  static void start() throws IOException {
    Map<String, Object> process = new HashMap<>(TracedSpans.TRACED);
    process.put("tracing.samplingRatio", 0.5);
    process.put("tracing.callerTraces", "decide");
    Map<String, Object> catalog = new HashMap<>(process);
    catalog.putAll(Launcher.placement("standalone", CatalogMain.definition(), true, true));
    catalog.remove("http.port"); // a free one, as every test's
    platform = AllInOne.start(Map.of("tracing.callerTraces", "decide"), catalog);
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @Test
  void eachTraceTheGatewayKeepsHasTheCatalogsSpanAndNoOtherTraceHasOne() throws InterruptedException {
    for (int i = 0; i < REQUESTS; i++) {
      var answer = platform.gateway.send(HttpMethod.GET, "/api/catalog/products?limit=1",
        MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "whole-" + i)
          .add("traceparent", "00-8b4c0d6e2f5a7b9c1d3e4f5a6b7c8d9e-3d4e5f6a7b8c9d0e-01"), (String) null);
      assertThat(answer.statusCode()).isEqualTo(200);
    }
    // Spans end as their answers go, which the client may see first: waited for until both sides agree twice,
    // 200 ms apart (briefly, a side may lack the last request's span).
    long deadline = System.nanoTime() + 5_000_000_000L;
    boolean agreed = false;
    while (System.nanoTime() < deadline) {
      boolean agree = served("catalog").equals(served("gateway"));
      if (agree && agreed) {
        break;
      }
      agreed = agree;
      Thread.sleep(200);
    }
    Map<String, String> kept = served("gateway");
    assertThat(kept).as("some requests kept and some not, at 0.5").hasSizeBetween(1, REQUESTS - 1);
    assertThat(served("catalog")).as("each request the catalog kept, by its id, and the trace it is in"
      + TracedSpans.describe(servers())).isEqualTo(kept);
  }

  /** The requests {@code service} kept a span of, by their ids, and the trace each is in. */
  private static Map<String, String> served(String service) {
    return servers().stream().filter(s -> service.equals(s.getResource().getAttribute(SERVICE)))
      .collect(Collectors.toMap(s -> s.getAttributes().get(REQUEST_ID), SpanData::getTraceId, (a, b) -> a + "," + b));
  }

  private static List<SpanData> servers() {
    return spans.all().stream().filter(s -> s.getKind() == SpanKind.SERVER && s.getAttributes().get(REQUEST_ID) != null
      && s.getAttributes().get(REQUEST_ID).startsWith("whole-")).toList();
  }
}
