package dev.surge.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem: every 4xx and 5xx Surge sends is one of these, as {@code application/problem+json},
 * with a stable {@code type}, the request id, and for validation errors the offending fields.
 */
public final class Problem {

  public static final String CONTENT_TYPE = "application/problem+json";
  public static final String TYPE_BASE = "https://surge.dev/problems/";

  private final int status;
  private final String slug;
  private final String title;
  private String detail;
  private String requestId;
  private final JsonArray errors = new JsonArray();
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final JsonObject extensions = new JsonObject();

  private Problem(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public static Problem of(int status, String slug, String title) {
    return new Problem(status, slug, title);
  }

  public static Problem badRequest(String detail) {
    return of(400, "bad-request", "Bad request").detail(detail);
  }

  public static Problem validation() {
    return of(400, "validation-failed", "The request is not valid");
  }

  public static Problem notFound(String detail) {
    return of(404, "not-found", "Not found").detail(detail);
  }

  /** 415: every Surge API reads its bodies as JSON. */
  public static Problem unsupportedMediaType() {
    return of(415, "unsupported-media-type", "Unsupported media type").detail("Send the body as application/json");
  }

  public static Problem conflict(String detail) {
    return of(409, "conflict", "Conflict").detail(detail);
  }

  public static Problem unavailable(String slug, String title, String detail, long retryAfterSeconds) {
    return of(503, slug, title).detail(detail).header("Retry-After", String.valueOf(retryAfterSeconds));
  }

  public Problem detail(String detail) {
    this.detail = detail;
    return this;
  }

  public Problem fieldError(String field, String message) {
    errors.add(new JsonObject().put("field", field).put("message", message));
    return this;
  }

  /** An extension member of the problem (RFC 9457 §3.2), such as the {@code line} of an order that failed. */
  public Problem extension(String name, Object value) {
    extensions.put(name, value);
    return this;
  }

  /**
   * The request this problem answers, when not the current one: an answer replayed to a retry (an idempotent
   * request sent again) carries the id of the request it first answered.
   */
  public Problem requestId(String requestId) {
    this.requestId = requestId;
    return this;
  }

  public Problem header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public String type() {
    return TYPE_BASE + slug;
  }

  public boolean hasFieldErrors() {
    return !errors.isEmpty();
  }

  public JsonObject toJson(String requestId, String instance) {
    JsonObject json = new JsonObject().put("type", type()).put("title", title).put("status", status);
    if (detail != null) {
      json.put("detail", detail);
    }
    if (instance != null) {
      json.put("instance", instance);
    }
    if (this.requestId != null || requestId != null) {
      json.put("requestId", this.requestId != null ? this.requestId : requestId);
    }
    if (!errors.isEmpty()) {
      json.put("errors", errors.copy());
    }
    extensions.forEach(e -> json.put(e.getKey(), e.getValue()));
    return json;
  }

  /** Sends this problem unless the response is already written (a timed-out handler answering late, say). */
  public void send(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.closed()) {
      return;
    }
    headers.forEach(response::putHeader);
    response.setStatusCode(status)
      .putHeader("Content-Type", CONTENT_TYPE)
      .end(toJson(RequestIds.getOrAssign(ctx), ctx.request().path()).toBuffer());
  }

  /** As an exception, so that a failed future or a thrown error ends as this problem. */
  public ProblemException asException() {
    return new ProblemException(this);
  }
}
