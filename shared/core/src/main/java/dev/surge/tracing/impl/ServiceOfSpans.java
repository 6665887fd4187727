package dev.surge.tracing.impl;

import dev.surge.arbiter.ServiceOfContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.semconv.ServiceAttributes;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Each span named after the service that made it, where one process runs several services (the all-in-one) and so
 * one tracing: a span started on the context of a service's verticle ({@link ServiceOfContext}) records the
 * service in {@code surge.service}, and goes out under a resource whose {@code service.name} is that service's,
 * which is how a trace viewer tells services apart. Spans made elsewhere keep the process's name. A process of one
 * service is left alone: its name may be set otherwise ({@code tracing.serviceName}).
 */
public final class ServiceOfSpans implements SpanProcessor {

  public static final AttributeKey<String> SERVICE = AttributeKey.stringKey("surge.service");

  private final BooleanSupplier severalServices;

  /** @param severalServices whether the process runs several services, asked at each span's start */
  public ServiceOfSpans(BooleanSupplier severalServices) {
    this.severalServices = severalServices;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    if (severalServices.getAsBoolean()) {
      name(span, Vertx.currentContext());
    }
  }

  /** Records on {@code span} the service whose verticle runs on {@code context}, if any. */
  static void name(Span span, io.vertx.core.Context context) {
    String service = ServiceOfContext.of(context);
    if (service != null) {
      span.setAttribute(SERVICE, service);
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {
  }

  @Override
  public boolean isEndRequired() {
    return false;
  }

  /**
   * {@code exporter}, handed the spans of a service under a resource named after it, once {@code severalServices}
   * says the process runs several (before, no span carries {@link #SERVICE}, and none is looked at).
   */
  public static SpanExporter named(SpanExporter exporter, BooleanSupplier severalServices) {
    return new Named(exporter, severalServices);
  }

  private static final class Named extends RewritingExporter {

    /** The process's resource with each service's name: one per service, as every span of the process shares one. */
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();

    private final BooleanSupplier severalServices;

    private Named(SpanExporter exporter, BooleanSupplier severalServices) {
      super(exporter);
      this.severalServices = severalServices;
    }

    @Override
    SpanData rewrite(SpanData span) {
      if (!severalServices.getAsBoolean()) {
        return span;
      }
      String service = span.getAttributes().get(SERVICE);
      if (service == null) {
        return span;
      }
      Resource resource = resources.computeIfAbsent(service,
        name -> span.getResource().merge(Resource.create(Attributes.of(ServiceAttributes.SERVICE_NAME, name))));
      return new DelegatingSpanData(span) {
        @Override
        public Resource getResource() {
          return resource;
        }
      };
    }
  }
}
