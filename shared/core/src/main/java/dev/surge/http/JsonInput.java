package dev.surge.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a JSON object body and its fields with every problem collected, so the caller gets all offending
 * fields in one 400 answer. Wrong types, unknown fields, out-of-range numbers and over-long strings are errors;
 * nothing is coerced.
 *
 * <p>Kept rather than vertx-openapi's RequestValidator, which the services' contracts would allow (2026-12-05,
 * docs/contracts.md): it cannot load a contract whose errors are {@code application/problem+json}; it reports the
 * first failing keyword, not every offending field; it cannot say what a schema cannot (a NUL in a string, an
 * integer sent as {@code 12.0}, one date after another); and it validates each body on a worker thread. Measured on
 * the catalog's product creation ({@code ValidationCostMain}, docs/BENCHMARKS.md): 0.7 µs a request here, 75 to
 * 100 µs with vertx-openapi one request at a time and 25 to 40 µs with a thousand in flight.
 */
public final class JsonInput {

  /** The first and last instants {@link #instant} takes: the years RFC 3339 writes with four digits. */
  private static final Instant FIRST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LAST_INSTANT = Instant.parse("9999-12-31T23:59:59Z");

  private final JsonObject json;
  private final Problem problem;
  private final String prefix;

  private JsonInput(JsonObject json) {
    this(json, Problem.validation(), "");
  }

  private JsonInput(JsonObject json, Problem problem, String prefix) {
    this.json = json;
    this.problem = problem;
    this.prefix = prefix;
  }

  /** The body as a JSON object, or a 415 or 400 problem. */
  public static JsonInput body(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!(mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json")))) {
      throw Problem.unsupportedMediaType().asException();
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw Problem.of(400, "malformed-json", "Malformed JSON").detail("A JSON object body is required").asException();
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(body);
    } catch (DecodeException e) {
      throw Problem.of(400, "malformed-json", "Malformed JSON").detail("The body is not valid JSON").asException();
    }
    if (!(parsed instanceof JsonObject object)) {
      throw Problem.of(400, "malformed-json", "Malformed JSON").detail("The body must be a JSON object").asException();
    }
    if (holdsLoneSurrogate(object)) {
      // JSON lets "\ud800" through (RFC 8259 §8.2), but no UTF-8 text can hold it: it would be stored as "?".
      throw Problem.of(400, "malformed-json", "Malformed JSON")
        .detail("The body holds half of a UTF-16 surrogate pair (a \\uD800 to \\uDFFF escape without its other half)")
        .asException();
    }
    return new JsonInput(object);
  }

  /** Whether a string anywhere in {@code value}, a name included, holds a surrogate without its pair. */
  private static boolean holdsLoneSurrogate(Object value) {
    if (value instanceof String s) {
      return loneSurrogateIn(s);
    }
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> field : object) {
        if (loneSurrogateIn(field.getKey()) || holdsLoneSurrogate(field.getValue())) {
          return true;
        }
      }
    } else if (value instanceof JsonArray array) {
      for (Object element : array) {
        if (holdsLoneSurrogate(element)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean loneSurrogateIn(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 == n || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return true;
        }
        i++;
      }
    }
    return false;
  }

  public static JsonInput of(JsonObject json) {
    return new JsonInput(json);
  }

  public JsonObject json() {
    return json;
  }

  /**
   * The JSON object in {@code field} (empty when absent), whose errors are reported with this input's, named
   * {@code field.name}: for a body that carries a nested object, such as a job's {@code args}. A field that is
   * not an object is an error, and the nested input is then empty.
   */
  public JsonInput nested(String field) {
    return nested(field, json.getValue(field));
  }

  /**
   * The same for a value found elsewhere, such as the element of an array: {@code nested("lines[0]", element)}
   * reports {@code lines[0].quantity}.
   */
  public JsonInput nested(String name, Object value) {
    if (value != null && !(value instanceof JsonObject)) {
      error(name, "must be a JSON object");
    }
    return new JsonInput(value instanceof JsonObject o ? o : new JsonObject(), problem, prefix + name + ".");
  }

  public boolean has(String field) {
    return json.containsKey(field);
  }

  /** Every field outside {@code allowed} is an error; {@code readOnly} ones get a message saying so. */
  public JsonInput onlyFields(Set<String> allowed, Set<String> readOnly) {
    for (String field : json.fieldNames()) {
      if (readOnly.contains(field)) {
        problem.fieldError(prefix + field, "is read-only");
      } else if (!allowed.contains(field)) {
        problem.fieldError(prefix + field, "is not a known field");
      }
    }
    return this;
  }

  public String string(String field, boolean required, int minLength, int maxLength, Pattern pattern, String patternHint) {
    Object v = json.getValue(field);
    if (v == null) {
      return missing(field, required);
    }
    if (!(v instanceof String s)) {
      return error(field, "must be a string");
    }
    if (s.indexOf('\0') >= 0) { // PostgreSQL stores no NUL in text: refused here, not failed as a 500 later
      return error(field, "must not contain NUL characters");
    }
    int length = s.codePointCount(0, s.length());
    if (length < minLength) {
      return error(field, minLength == 1 ? "must not be empty" : "must have at least " + minLength + " characters");
    }
    if (length > maxLength) {
      return error(field, "must have at most " + maxLength + " characters");
    }
    if (pattern != null && !pattern.matcher(s).matches()) {
      return error(field, patternHint);
    }
    return s;
  }

  public Long integer(String field, boolean required, long min, long max) {
    Object v = json.getValue(field);
    if (v == null) {
      return missing(field, required);
    }
    if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
      return error(field, "must be an integer");
    }
    long n = ((Number) v).longValue();
    if (n < min) {
      return error(field, "must be at least " + min);
    }
    if (n > max) {
      return error(field, "must be at most " + max);
    }
    return n;
  }

  /**
   * An ISO 8601 instant with an offset, such as {@code 2026-12-01T09:00:00Z}, in the years 1 to 9999 (RFC 3339's):
   * Java reads years of six digits and more, which PostgreSQL's timestamps either refuse or store as infinity.
   */
  public Instant instant(String field, boolean required) {
    Object v = json.getValue(field);
    if (v == null) {
      return missing(field, required);
    }
    if (!(v instanceof String s)) {
      return error(field, "must be an ISO 8601 date-time string");
    }
    Instant instant;
    try {
      instant = OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      return error(field, "must be an ISO 8601 date-time with an offset, such as 2026-12-01T09:00:00Z");
    }
    if (instant.isBefore(FIRST_INSTANT) || instant.isAfter(LAST_INSTANT)) {
      return error(field, "must be between " + FIRST_INSTANT + " and " + LAST_INSTANT);
    }
    return instant;
  }

  public JsonInput error(String field, String message, boolean condition) {
    if (condition) {
      problem.fieldError(prefix + field, message);
    }
    return this;
  }

  public boolean valid() {
    return !problem.hasFieldErrors();
  }

  /** Throws the 400 problem listing every offending field, if there is any. */
  public void validate() {
    if (problem.hasFieldErrors()) {
      throw problem.detail("One or more fields are invalid").asException();
    }
  }

  private <T> T missing(String field, boolean required) {
    if (required) {
      problem.fieldError(prefix + field, json.containsKey(field) ? "must not be null" : "is required");
    }
    return null;
  }

  private <T> T error(String field, String message) {
    problem.fieldError(prefix + field, message);
    return null;
  }
}
