package dev.surge.tracing;

import dev.surge.tracing.impl.ScrubbedSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A span leaves the process with what the logs would show and no more: no whole URL nor query, a client's URL
 * without its user info and query, and no raw path on a server span that knows its route template (the access log
 * writes the template). The exporter reads a span's attributes by iterating them and by their count: both agree.
 */
class AnExportedSpanCarriesNoMoreThanTheLogsShowTest {

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();

  @Test
  void aServerSpanThatKnowsItsRouteLeavesWithoutItsRawPathUrlOrQuery() {
    Map<String, Object> attributes = export(SpanKind.SERVER, Attributes.builder()
      .put("http.request.method", "GET").put("url.path", "/orders/7f3a").put("http.route", "/orders/:id")
      .put("http.url", "http://host/orders/7f3a?token=t0k3n").put("url.query", "token=t0k3n")
      .put("http.response.status_code", 200L).build());
    assertThat(attributes).containsOnlyKeys("http.request.method", "http.route", "http.response.status_code")
      .containsEntry("http.route", "/orders/:id");
    assertThat(exported.getFinishedSpanItems().getFirst().getAttributes().get(AttributeKey.stringKey("url.path")))
      .isNull();
  }

  @Test
  void aServerSpanWithoutARouteKeepsItsPath() {
    Map<String, Object> attributes = export(SpanKind.SERVER, Attributes.builder()
      .put("http.request.method", "GET").put("url.path", "/nowhere").put("url.query", "a=1").build());
    assertThat(attributes).containsOnlyKeys("http.request.method", "url.path");
  }

  @Test
  void aClientSpansUrlLeavesWithoutItsUserInfoAndQuery() {
    Map<String, Object> attributes = export(SpanKind.CLIENT, Attributes.builder()
      .put("http.request.method", "GET").put("url.full", "http://user:secret@catalog:8081/products/7?key=k3y")
      .put("url.query", "key=k3y").build());
    assertThat(attributes).containsOnlyKeys("http.request.method", "url.full")
      .containsEntry("url.full", "http://catalog:8081/products/7");
  }

  @Test
  void aClientSpansUrlLeavesWithoutItsUserInfoWhenItHasNoQuery() {
    Map<String, String> leaving = Map.of(
      "https://user:secret@catalog/products", "https://catalog/products",
      "http://user:secret@catalog:8081", "http://catalog:8081", // no path
      "http://user:secret@[::1]:8081/x", "http://[::1]:8081/x",
      "HTTP://u:p@h/x", "HTTP://h/x",
      "http://catalog:8081#user@x", "http://catalog:8081",
      "http://h\\u:p@evil/x", "", // what java.net.URI cannot read goes out as nothing
      "http://h/a b?k=s3cret", "");
    leaving.forEach((url, sent) -> assertThat(export(SpanKind.CLIENT,
      Attributes.of(AttributeKey.stringKey("url.full"), url))).as(url).containsEntry("url.full", sent));
  }

  @Test
  void aClientSpansBareUrlLeavesAsItIsAnAtSignInItsPathWith() {
    SpanData span = span(SpanKind.CLIENT, Attributes.of(AttributeKey.stringKey("url.full"),
      "http://catalog:8081/users/a@b.example/orders"));
    new ScrubbedSpans(exported).export(List.of(span));
    assertThat(exported.getFinishedSpanItems().getFirst()).as("the span itself, not a copy").isSameAs(span);
  }

  @Test
  void aSpanWithNothingToLeaveOutLeavesAsItIs() {
    SpanData span = span(SpanKind.INTERNAL, Attributes.of(AttributeKey.stringKey("messaging.system"), "vertx"));
    new ScrubbedSpans(exported).export(List.of(span));
    assertThat(exported.getFinishedSpanItems()).containsExactly(span);
  }

  /** The attributes of {@code attributes}'s span as exported, checked to be the same read either way. */
  private Map<String, Object> export(SpanKind kind, Attributes attributes) {
    exported.reset();
    new ScrubbedSpans(exported).export(List.of(span(kind, attributes)));
    Attributes sent = exported.getFinishedSpanItems().getFirst().getAttributes();
    Map<String, Object> iterated = new HashMap<>();
    sent.forEach((key, value) -> iterated.put(key.getKey(), value));
    assertThat(sent.size()).as("the count the exporter writes").isEqualTo(iterated.size());
    assertThat(sent.isEmpty()).isEqualTo(iterated.isEmpty());
    sent.forEach((key, value) -> assertThat(sent.get(key)).isEqualTo(value));
    assertThat(sent.asMap()).hasSize(iterated.size());
    assertThat(sent.toBuilder().build().size()).isEqualTo(iterated.size());
    return iterated;
  }

  private static SpanData span(SpanKind kind, Attributes attributes) {
    return TestSpanData.builder().setName("GET").setKind(kind)
      .setSpanContext(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        TraceFlags.getSampled(), TraceState.getDefault()))
      .setStartEpochNanos(1).setEndEpochNanos(2).setHasEnded(true).setStatus(StatusData.unset())
      .setAttributes(attributes).setTotalAttributeCount(attributes.size()).build();
  }
}
