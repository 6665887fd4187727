package dev.surge.tracing;

import java.time.Duration;
import java.util.Objects;

/** How a process traces: where its spans go, how many traces it keeps, and how much it holds for the collector. */
public final class TracingOptions {

  /** An OpenTelemetry Collector's OTLP/HTTP traces endpoint on the same host. */
  public static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";
  /** One trace in ten started here is kept: what the overhead goals are measured at (docs/BENCHMARKS.md). */
  public static final double DEFAULT_SAMPLING_RATIO = 0.1;
  /**
   * Four times the OpenTelemetry SDK's default: spans go out in batches of half the queue (at most 4,096), fewer
   * and larger exports; about 8 MB of spans at most.
   */
  public static final int DEFAULT_MAX_QUEUE_SIZE = 8192;
  public static final Duration DEFAULT_EXPORT_TIMEOUT = Duration.ofSeconds(10);
  /** Behind the gateway, a caller is the platform itself: its trace and its decision to keep it hold. */
  public static final CallerTraces DEFAULT_CALLER_TRACES = CallerTraces.FOLLOW;

  private String endpoint = DEFAULT_ENDPOINT;
  private double samplingRatio = DEFAULT_SAMPLING_RATIO;
  private String serviceName = "surge";
  private int maxQueueSize = DEFAULT_MAX_QUEUE_SIZE;
  private Duration exportTimeout = DEFAULT_EXPORT_TIMEOUT;
  private CallerTraces callerTraces = DEFAULT_CALLER_TRACES;

  public CallerTraces getCallerTraces() {
    return callerTraces;
  }

  /**
   * What the process's service does with the trace context of an HTTP request it serves; a service started beside
   * it in the same process has its own ({@link Tracing#sharedWithAnotherService}).
   */
  public TracingOptions setCallerTraces(CallerTraces callerTraces) {
    this.callerTraces = Objects.requireNonNull(callerTraces);
    return this;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public TracingOptions setEndpoint(String endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint);
    return this;
  }

  public double getSamplingRatio() {
    return samplingRatio;
  }

  public TracingOptions setSamplingRatio(double samplingRatio) {
    if (!(samplingRatio >= 0 && samplingRatio <= 1)) {
      throw new IllegalArgumentException("samplingRatio must be from 0 to 1: " + samplingRatio);
    }
    this.samplingRatio = samplingRatio;
    return this;
  }

  public String getServiceName() {
    return serviceName;
  }

  public TracingOptions setServiceName(String serviceName) {
    this.serviceName = Objects.requireNonNull(serviceName);
    return this;
  }

  public int getMaxQueueSize() {
    return maxQueueSize;
  }

  public TracingOptions setMaxQueueSize(int maxQueueSize) {
    if (maxQueueSize < 1) {
      throw new IllegalArgumentException("maxQueueSize must be positive: " + maxQueueSize);
    }
    this.maxQueueSize = maxQueueSize;
    return this;
  }

  public Duration getExportTimeout() {
    return exportTimeout;
  }

  public TracingOptions setExportTimeout(Duration exportTimeout) {
    this.exportTimeout = Objects.requireNonNull(exportTimeout);
    return this;
  }
}
