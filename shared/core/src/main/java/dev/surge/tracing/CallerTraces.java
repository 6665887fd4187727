package dev.surge.tracing;

import java.util.Locale;

/**
 * What a service does with the trace context ({@code traceparent}, {@code tracestate}) of an HTTP request it
 * serves. Each service of a process has its own (the all-in-one's gateway links, the services behind it follow),
 * and it applies to HTTP requests only: an event-bus message comes from the platform's own members.
 */
public enum CallerTraces {

  /** The caller's trace continued, and its decision to keep it followed: the platform's services calling each other. */
  FOLLOW,
  /**
   * The caller's trace id continued, but kept or not at this service's own sampling ratio, at random: a client
   * cannot have its requests traced at will, yet chooses the trace id they go in.
   */
  DECIDE,
  /**
   * Not continued: each request starts a trace of this service's, kept at its own ratio, whose first span carries a
   * link to the caller's span. No client chooses the trace id its requests, orders and jobs go in, nor puts spans
   * in another's trace; a client that sent one still finds its request through the link. For a service facing
   * clients: the gateway's default.
   */
  LINK;

  /** The configuration's name of this: {@code follow}, {@code decide} or {@code link}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The value named {@code name} ({@code follow}, {@code decide} or {@code link}). */
  public static CallerTraces of(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
