package dev.surge.tracing.impl;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.tracing.opentelemetry.Operation;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Vert.x's OpenTelemetry tracer, made to read a request's tags only for the spans that are kept. Vert.x reads every
 * tag of every request (its whole absolute URI among them) into attributes before the sampler decides, and again
 * from every response, so with one request in ten kept nine readings in ten were thrown away: a tenth of what
 * tracing cost {@code /json} at 10% (async-profiler, docs/BENCHMARKS.md). Here:
 * <ul>
 *   <li>a request the server receives shows the sampler no tag, but a probe its path ({@link UntracedProbes}
 *   drops probes by it): the SDK builds and sorts no attributes for a span it then drops. A kept span gets its tags
 *   after it starts; {@code http.url} and {@code url.query} never (a query can carry what the access log never
 *   writes, and the URL repeats the path: {@link ScrubbedSpans} used to drop both before export), and its raw
 *   {@code url.path} only as it ends, if the router named no route on it by then ({@code http.route});</li>
 *   <li>a request sent records {@code url.full} without user info, query or fragment. So what {@link ScrubbedSpans}
 *   takes out before export is never put in by Vert.x's spans, and a span goes out as it was recorded, with no
 *   view built over it and no copy: at 100% sampling {@code bench} served {@code /db} 4.6% and {@code /json} 1.9%
 *   faster than with the views (docs/BENCHMARKS.md);</li>
 *   <li>a request sent from inside a trace that is not kept makes no span at all (it would not be kept either:
 *   sampling follows a local parent): its headers get the caller's {@code traceparent}, which says "not kept", so
 *   the next service follows that choice rather than starting a trace of its own; a statement's headers go nowhere.
 *   Each SQL statement of a request not kept made a span of its own before, sampled and thrown away;</li>
 *   <li>an answer to a span that is not kept reads none, and its span ends without the attributes Vert.x would
 *   build for it;</li>
 *   <li>an HTTP request is shown to the tracer with the trace context its service takes from its caller
 *   ({@link CallerContexts}): as it came, with this service's decision in place of the caller's, or none, its span
 *   then linked to the caller's.</li>
 * </ul>
 * What a kept span carries is unchanged, but for the two attributes above, a routed server span's raw path, a
 * sent request's URL (without user info, query or fragment) and, on a span sent, the two of {@link #REPEATED}.
 */
public final class LeanTags implements VertxTracer<Object, Object> {

  /** The tag the sampler reads of a request a server receives, for {@link UntracedProbes}. */
  private static final String PATH = UrlAttributes.URL_PATH.getKey();
  /** Never recorded: the whole URL, and the query it carries (what {@link ScrubbedSpans} leaves out of any span). */
  private static final Set<String> NEVER = ScrubbedSpans.NEVER_NAMES;
  /**
   * Not recorded on a span sent: {@code span.kind}, which the SQL and Redis clients write as an attribute and the
   * span already carries as its kind, and {@code db.user}, gone from the current semantic conventions. Each kept
   * statement's span is built, sorted and exported with two attributes fewer.
   */
  private static final Set<String> REPEATED = Set.of("span.kind", "db.user");

  private static final TextMapSetter<BiConsumer<String, String>> SETTER = (headers, name, value) -> {
    if (headers != null) {
      headers.accept(name, value);
    }
  };

  /**
   * What the SQL client traces a statement as: the headers it hands for one go nowhere (a statement carries no
   * trace context to PostgreSQL), so none are written. Where the client is not on the class path, a class no
   * request is.
   */
  private static final Class<?> STATEMENT = classOrNone("io.vertx.sqlclient.impl.tracing.QueryRequest");

  private final VertxTracer<Object, Object> tracer;
  private final TextMapPropagator propagator;
  private final BooleanSupplier severalServices;
  private final CallerContexts callers;

  /**
   * @param propagator      what writes a trace's context into a request's headers (W3C Trace Context), as the
   *                        tracer does
   * @param severalServices whether the process runs several services: then each span is named after the service
   *                        of the context Vert.x makes it for ({@link ServiceOfSpans})
   * @param callers         how each service takes the trace context of the HTTP requests it serves
   */
  @SuppressWarnings("unchecked")
  public LeanTags(VertxTracer<?, ?> tracer, TextMapPropagator propagator, BooleanSupplier severalServices,
                  CallerContexts callers) {
    this.tracer = (VertxTracer<Object, Object>) tracer;
    this.propagator = propagator;
    this.severalServices = severalServices;
    this.callers = callers;
  }

  @Override
  public <R> Object receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
                                   Iterable<Map.Entry<String, String>> headers, TagExtractor<R> tags) {
    // The sampler sees a tag only where it decides by it: the path of a probe, which it drops. Any other request
    // starts with none (the SDK builds and sorts no attributes for it) and gets its tags once it is kept.
    TagExtractor<R> sampledOn = TagExtractor.empty();
    if (request != null && policy != TracingPolicy.IGNORE) {
      int path = indexOf(tags, request, PATH);
      if (path >= 0 && UntracedProbes.isProbe(tags.value(request, path))) {
        sampledOn = new OneTag<>(tags, path);
      }
    }
    CallerContexts.Taken taken = request instanceof HttpServerRequest ? callers.take(context, headers) : null;
    Object started = tracer.receiveRequest(context, kind, policy, request, operation,
      taken == null ? headers : taken.headers(), sampledOn);
    if (request != null && started instanceof Operation op && op.span().isRecording()) {
      if (taken != null && taken.link() != null) {
        op.span().addLink(taken.link());
      }
      String path = null;
      for (int i = 0, n = tags.len(request); i < n; i++) {
        String name = tags.name(request, i);
        if (PATH.equals(name) && op.span() instanceof ReadableSpan) {
          path = tags.value(request, i); // recorded as the span ends, if no route named it by then
        } else if (!NEVER.contains(name)) {
          op.span().setAttribute(name, tags.value(request, i));
        }
      }
      named(op, context);
      return path == null ? op : new Unrouted(op, path);
    }
    return started;
  }

  /**
   * The span of {@code operation} named after the service of {@code context}, where services share the process. The
   * context Vert.x names is the one the span is for; the thread's current one may be another's, on an event loop
   * that reads a connection before handing its request over (which {@link ServiceOfSpans} would see).
   */
  private Object named(Object operation, Context context) {
    if (operation instanceof Operation op && op.span().isRecording() && severalServices.getAsBoolean()) {
      ServiceOfSpans.name(op.span(), context);
    }
    return operation;
  }

  @Override
  public <R> void sendResponse(Context context, R response, Object payload, Throwable failure, TagExtractor<R> tags) {
    if (payload instanceof Unrouted unrouted) {
      payload = unrouted.ended();
    }
    if (!endedUnkept(payload)) {
      tracer.sendResponse(context, response, payload, failure, tags);
    }
  }

  @Override
  public <R> Object sendRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
                                BiConsumer<String, String> headers, TagExtractor<R> tags) {
    // The parent Vert.x takes is the given context's; Span.current() reads the current one: trusted only when they
    // are the same (otherwise every tag is read, as without this class).
    Span parent = context == Vertx.currentContext() ? Span.current() : Span.getInvalid();
    if (parent.getSpanContext().isValid() && !parent.getSpanContext().isSampled()) {
      if (policy != TracingPolicy.IGNORE && request != null && !STATEMENT.isInstance(request)) {
        propagator.inject(io.opentelemetry.context.Context.current(), headers, SETTER);
      }
      return null; // no span: its answer is not read either
    }
    return named(tracer.sendRequest(context, kind, policy, request, operation, headers, new Sent<>(tags)), context);
  }

  @Override
  public <R> void receiveResponse(Context context, R response, Object payload, Throwable failure,
                                  TagExtractor<R> tags) {
    if (!endedUnkept(payload)) {
      tracer.receiveResponse(context, response, payload, failure, tags);
    }
  }

  @Override
  public void close() {
    tracer.close();
  }

  /**
   * Ends the operation of a span that is not kept, as Vert.x's tracer would but for the attributes it builds for
   * the answer and hands to a span that drops them: the span's end is nothing, its scope is closed. False for any
   * other payload, which the tracer ends.
   */
  private static boolean endedUnkept(Object payload) {
    if (payload instanceof Operation op && !op.span().isRecording()) {
      op.scope().close();
      return true;
    }
    return false;
  }

  private static Class<?> classOrNone(String name) {
    try {
      return Class.forName(name, false, LeanTags.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return Void.class; // no request is a Void
    }
  }

  private static <R> int indexOf(TagExtractor<R> tags, R request, String name) {
    for (int i = 0, n = tags.len(request); i < n; i++) {
      if (name.equals(tags.name(request, i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The tags of a request sent but {@link #NEVER} and {@link #REPEATED}, and its {@code url.full} without user info,
   * query or fragment ({@link ScrubbedSpans#withoutQuery}): found in one pass when the tracer first reads them (it
   * does not for a statement outside any trace). What {@link ScrubbedSpans} would take out at export is not put in:
   * the span goes out as it is, with no view built over it.
   */
  private static final class Sent<R> implements TagExtractor<R> {
    private final TagExtractor<R> tags;
    private int[] kept;
    private int url = -1;
    private String bareUrl;

    Sent(TagExtractor<R> tags) {
      this.tags = tags;
    }

    @Override
    public int len(R obj) {
      return kept(obj).length;
    }

    @Override
    public String name(R obj, int index) {
      return tags.name(obj, kept(obj)[index]);
    }

    @Override
    public String value(R obj, int index) {
      int at = kept(obj)[index];
      if (at == url) {
        if (bareUrl == null) {
          String full = tags.value(obj, at);
          bareUrl = full == null ? null : ScrubbedSpans.bare(full);
        }
        return bareUrl;
      }
      return tags.value(obj, at);
    }

    private int[] kept(R obj) {
      if (kept == null) {
        int n = tags.len(obj);
        int[] found = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
          String name = tags.name(obj, i);
          if (UrlAttributes.URL_FULL.getKey().equals(name)) {
            url = i;
          }
          if (!REPEATED.contains(name) && !NEVER.contains(name)) {
            found[count++] = i;
          }
        }
        kept = Arrays.copyOf(found, count);
      }
      return kept;
    }
  }

  /**
   * A kept server span's operation with its raw path, which it records as it ends only if no route was put on it
   * ({@code http.route}, by the chassis' router): a routed span goes out without the path, as {@link ScrubbedSpans}
   * would make it, but without a view built over it at export.
   */
  private record Unrouted(Operation operation, String path) {
    Operation ended() {
      if (((ReadableSpan) operation.span()).getAttribute(HttpAttributes.HTTP_ROUTE) == null) {
        operation.span().setAttribute(UrlAttributes.URL_PATH, path);
      }
      return operation;
    }
  }

  /** The one tag at {@code index} of {@code tags}. */
  private record OneTag<R>(TagExtractor<R> tags, int index) implements TagExtractor<R> {
    @Override
    public int len(R obj) {
      return 1;
    }

    @Override
    public String name(R obj, int i) {
      return tags.name(obj, index);
    }

    @Override
    public String value(R obj, int i) {
      return tags.value(obj, index);
    }
  }
}
