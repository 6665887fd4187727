package dev.surge.tracing;

import dev.surge.tracing.impl.CallerContexts;
import dev.surge.tracing.impl.LeanTags;
import dev.surge.tracing.impl.UntracedProbes;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Vert.x reads every tag of a request (its absolute URI among them) before the sampler decides, and every tag of
 * the answer after: work thrown away for each request that is not kept, nine in ten at the default ratio. Through
 * {@link LeanTags} a request that is not kept is read only for what the sampler looks at (its path, to drop the
 * probes), its answer not at all; one that is kept carries its tags as before, but for the whole URL and the query, which
 * are never recorded.
 */
class ARequestNotTracedIsReadNoFurtherThanItsSamplerNeedsTest {

  private static final List<String> NAMES = List.of("http.url", "http.request.method", "url.scheme", "url.path",
    "url.query");
  private static final List<String> VALUES = List.of("http://host/orders/7?token=t0k3n", "GET", "http", "/orders/7",
    "token=t0k3n");

  private final Vertx vertx = Vertx.vertx();
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final List<String> read = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aRequestNotKeptIsReadForItsPathAloneAndItsAnswerNotAtAll() throws Exception {
    LeanTags tracer = tracer(Sampler.alwaysOff());
    boolean spanLeftCurrent = serve(tracer, VALUES);
    assertThat(read).as("tags read").containsExactly("url.path");
    assertThat(exported.getFinishedSpanItems()).isEmpty();
    assertThat(spanLeftCurrent).as("the request's span still current after its answer").isFalse();
  }

  @Test
  void aRequestWithoutAPathIsTracedAsAnyOther() throws Exception {
    LeanTags tracer = tracer(new UntracedProbes(Sampler.alwaysOn()));
    serve(tracer, java.util.Arrays.asList("http://host", "CONNECT", "http", null, null)); // an HTTP/2 CONNECT
    assertThat(exported.getFinishedSpanItems()).hasSize(1);
  }

  @Test
  void aProbeIsShownToTheSamplerByItsPathAndStartsNoTrace() throws Exception {
    LeanTags tracer = tracer(new UntracedProbes(Sampler.alwaysOn()));
    serve(tracer, List.of("http://host/health/ready", "GET", "http", "/health/ready", ""));
    assertThat(exported.getFinishedSpanItems()).as("spans of a probe").isEmpty();
    serve(tracer, VALUES);
    assertThat(exported.getFinishedSpanItems()).as("spans of a request to the API").hasSize(1);
  }

  @Test
  void aRequestKeptCarriesItsTagsButTheWholeUrlAndTheQuery() throws Exception {
    LeanTags tracer = tracer(Sampler.alwaysOn());
    serve(tracer, VALUES);
    assertThat(read).as("tags read").contains("url.scheme", "http.response.status_code");
    List<SpanData> spans = exported.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    assertThat(attributes(spans.getFirst())).containsEntry("http.request.method", "GET").containsEntry("url.scheme", "http")
      .containsEntry("url.path", "/orders/7").containsEntry("http.response.status_code", "200")
      .doesNotContainKeys("http.url", "url.query");
  }

  @Test
  void aRequestKeptAndRoutedEndsWithItsRouteAndWithoutItsRawPath() throws Exception {
    LeanTags tracer = tracer(Sampler.alwaysOn());
    serve(tracer, VALUES, () -> io.opentelemetry.api.trace.Span.current().setAttribute("http.route", "/orders/:id"));
    // Spans as recorded, before any exporter: the raw path (which can carry an id) is never put on a routed one.
    Map<String, Object> attributes = attributes(exported.getFinishedSpanItems().getFirst());
    assertThat(attributes).containsEntry("http.route", "/orders/:id").containsEntry("http.request.method", "GET")
      .doesNotContainKeys("url.path", "http.url", "url.query");
  }

  @Test
  void aRequestSentRecordsItsUrlWithoutUserInfoOrQuery() throws Exception {
    LeanTags tracer = tracer(Sampler.alwaysOn());
    Map<String, String> recorded = Map.of(
      "http://user:secret@catalog:8081/products/7?key=k3y", "http://catalog:8081/products/7",
      "http://user:secret@catalog:8081", "http://catalog:8081",
      "http://catalog:8081/users/a@b.example", "http://catalog:8081/users/a@b.example");
    for (Map.Entry<String, String> url : recorded.entrySet()) {
      exported.reset();
      serveSending(tracer, (name, value) -> { }, new Counted(List.of("url.full", "http.request.method"),
        List.of(url.getKey(), "GET")));
      SpanData sent = exported.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.CLIENT).findFirst().orElseThrow();
      assertThat(attributes(sent)).as(url.getKey()).containsOnly(Map.entry("url.full", url.getValue()),
        Map.entry("http.request.method", "GET"));
    }
  }

  @Test
  void aStatementKeptCarriesNeitherItsKindAsAnAttributeNorTheDatabaseUser() throws Exception {
    LeanTags tracer = tracer(Sampler.alwaysOn());
    // The tags Vert.x's SQL client gives a statement, in its order.
    serveSending(tracer, (name, value) -> { }, new Counted(
      List.of("network.peer.address", "span.kind", "db.user", "db.namespace", "db.query.text", "db.system"),
      List.of("127.0.0.1:5432", "client", "surge", "orders", "SELECT 1", "postgresql")));
    SpanData span = exported.getFinishedSpanItems().stream()
      .filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.CLIENT).findFirst().orElseThrow();
    assertThat(attributes(span)).containsOnlyKeys("network.peer.address", "db.namespace", "db.query.text", "db.system");
  }

  @Test
  void aRequestSentInsideATraceNotKeptMakesNoSpanAndTellsTheNextServiceItIsNotKept() throws Exception {
    List<String> sampled = new ArrayList<>();
    LeanTags tracer = tracer(new Sampler() {
      @Override
      public SamplingResult shouldSample(io.opentelemetry.context.Context parent, String traceId, String name,
                                         io.opentelemetry.api.trace.SpanKind kind, Attributes attributes,
                                         List<LinkData> links) {
        sampled.add(kind.name());
        return SamplingResult.drop();
      }

      @Override
      public String getDescription() {
        return "none, counted";
      }
    });
    Map<String, String> sent = new java.util.HashMap<>();
    Object request = serveSending(tracer, sent::put, new Counted(List.of("db.query.text"), List.of("SELECT 1")));
    assertThat(request).as("no span made for what is sent").isNull();
    assertThat(sampled).as("the sampler asked once, for the request received").containsExactly("SERVER");
    assertThat(sent.get("traceparent")).as("the caller's choice goes on: not kept (the flags' sampled bit clear)")
      .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f][02468ace]");
    assertThat(read).doesNotContain("db.query.text");
    assertThat(exported.getFinishedSpanItems()).isEmpty();
  }

  private LeanTags tracer(Sampler sampler) {
    SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(sampler)
      .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    OpenTelemetry openTelemetry = new OpenTelemetry() {
      @Override
      public TracerProvider getTracerProvider() {
        return provider;
      }

      @Override
      public ContextPropagators getPropagators() {
        return ContextPropagators.create(W3CTraceContextPropagator.getInstance());
      }
    };
    return new LeanTags(new OpenTelemetryTracingFactory(openTelemetry).tracer(null),
      W3CTraceContextPropagator.getInstance(), () -> false, new CallerContexts(
        context -> CallerTraces.FOLLOW, W3CTraceContextPropagator.getInstance(), 1.0));
  }

  /**
   * A request received and answered on a Vert.x context, as the HTTP server does; whether a span was still current
   * there after the answer.
   */
  private boolean serve(LeanTags tracer, List<String> values) throws Exception {
    return serve(tracer, values, () -> { });
  }

  /** As {@link #serve(LeanTags, List)}, running {@code whileServed} between the request and its answer. */
  private boolean serve(LeanTags tracer, List<String> values, Runnable whileServed) throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      Object operation = tracer.receiveRequest(context, SpanKind.RPC, TracingPolicy.ALWAYS, "request", "GET",
        List.of(), new Counted(NAMES, values));
      whileServed.run();
      tracer.sendResponse(context, "response", operation, null,
        new Counted(List.of("http.response.status_code"), List.of("200")));
      done.complete(io.opentelemetry.api.trace.Span.current().getSpanContext().isValid());
    });
    return done.get(10, TimeUnit.SECONDS);
  }

  /**
   * A request received and answered on a Vert.x context, and a statement sent with {@code tags} while it is served;
   * what the tracer made for the statement.
   */
  private Object serveSending(LeanTags tracer, java.util.function.BiConsumer<String, String> headers, Counted tags)
    throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Object> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      Object received = tracer.receiveRequest(context, SpanKind.RPC, TracingPolicy.ALWAYS, "request", "GET",
        List.of(), new Counted(NAMES, VALUES));
      Object request = tracer.sendRequest(context, SpanKind.RPC, TracingPolicy.PROPAGATE, "statement", "SELECT",
        headers, tags);
      tracer.receiveResponse(context, "rows", request, null, TagExtractor.empty());
      tracer.sendResponse(context, "response", received, null, TagExtractor.empty());
      done.complete(request);
    });
    return done.get(10, TimeUnit.SECONDS);
  }

  private static Map<String, Object> attributes(SpanData span) {
    Map<String, Object> attributes = new java.util.HashMap<>();
    span.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), value));
    return attributes;
  }

  /** Tags that note each value read. */
  private final class Counted implements TagExtractor<String> {
    private final List<String> names;
    private final List<String> values;

    Counted(List<String> names, List<String> values) {
      this.names = names;
      this.values = values;
    }

    @Override
    public int len(String obj) {
      return names.size();
    }

    @Override
    public String name(String obj, int index) {
      return names.get(index);
    }

    @Override
    public String value(String obj, int index) {
      read.add(names.get(index));
      return values.get(index);
    }
  }
}
