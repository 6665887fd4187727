package dev.surge.gateway.docs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One OpenAPI document for every API behind the gateway: each service's operations under {@code /api/<service>},
 * tagged with the service, their ids prefixed with it ({@code catalogCreateProduct}), and what the gateway adds to
 * each: the API key (required for writes), its 401, 429, 502 and 504 answers. Components alike in two services (the
 * chassis's {@code Problem}, say) are kept once; a name two services use for different things is kept apart by
 * prefixing the later one's with its service, its references rewritten to match.
 */
final class ContractAggregate {

  /** What each service serves for the chassis: the gateway does not describe them as part of its APIs. */
  private static final Set<String> CHASSIS_PATHS = Set.of("/health/live", "/health/ready", "/metrics",
    "/openapi.json");
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
    "trace");
  private static final Set<String> READS = Set.of("get", "head", "options");

  private ContractAggregate() {
  }

  /**
   * The gateway's own document ({@code base}, its chassis parts merged) with every service's ({@code services}, in
   * order), and the services that could not be asked listed in {@code x-surge-unavailable}.
   */
  static JsonObject of(JsonObject base, Map<String, JsonObject> services, List<String> unavailable) {
    JsonObject document = base.copy();
    JsonObject paths = document.getJsonObject("paths");
    JsonObject components = document.getJsonObject("components");
    JsonArray tags = document.getJsonArray("tags", new JsonArray());
    document.put("tags", tags);
    services.forEach((service, contract) -> {
      JsonObject own = contract.getJsonObject("components", new JsonObject());
      Map<String, String> renamed = renames(service, own, components);
      own.forEach(section -> {
        JsonObject into = components.getJsonObject(section.getKey(), new JsonObject());
        components.put(section.getKey(), into);
        ((JsonObject) section.getValue()).forEach(component -> {
          String ref = "#/components/" + section.getKey() + "/" + component.getKey();
          String name = renamed.getOrDefault(ref, ref).substring(ref.lastIndexOf('/') + 1);
          into.getMap().putIfAbsent(name, rewritten(component.getValue(), renamed));
        });
      });
      contract.getJsonObject("paths", new JsonObject()).forEach(path -> {
        if (!CHASSIS_PATHS.contains(path.getKey())) {
          JsonObject item = (JsonObject) rewritten(path.getValue(), renamed);
          item.forEach(operation -> {
            if (METHODS.contains(operation.getKey())) {
              throughTheGateway(service, operation.getKey(), (JsonObject) operation.getValue());
            }
          });
          paths.put("/api/" + service + path.getKey(), item);
        }
      });
      JsonObject info = contract.getJsonObject("info", new JsonObject());
      tags.add(new JsonObject().put("name", service).put("description", info.getString("description",
        info.getString("title", service))));
    });
    if (!unavailable.isEmpty()) {
      document.put("x-surge-unavailable", new JsonArray(List.copyOf(unavailable)));
    }
    return document;
  }

  /**
   * The service's components to keep under another name: those another service defined otherwise, and, until
   * nothing changes, those alike in text that point at one renamed (a {@code Page} of the service's own
   * {@code Item}).
   */
  private static Map<String, String> renames(String service, JsonObject own, JsonObject components) {
    Map<String, String> renamed = new HashMap<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (String section : own.fieldNames()) {
        for (String name : own.getJsonObject(section).fieldNames()) {
          String prefix = "#/components/" + section + "/";
          if (renamed.containsKey(prefix + name)) {
            continue;
          }
          Object value = own.getJsonObject(section).getValue(name);
          Object existing = components.getJsonObject(section, new JsonObject()).getValue(name);
          if (existing != null && (!existing.equals(value) || refersTo(value, renamed))) {
            renamed.put(prefix + name, prefix + service + "_" + name);
            changed = true;
          }
        }
      }
    }
    return renamed;
  }

  private static boolean refersTo(Object value, Map<String, String> renamed) {
    if (value instanceof JsonObject object) {
      return object.stream().anyMatch(e -> "$ref".equals(e.getKey()) && renamed.containsKey(e.getValue())
        || refersTo(e.getValue(), renamed));
    }
    return value instanceof JsonArray array && array.stream().anyMatch(v -> refersTo(v, renamed));
  }

  /**
   * The document as a service gave it, if it has the shape the aggregate walks (OpenAPI 3.1, paths and components of
   * objects); else an exception saying what is wrong, and the service counts as unavailable.
   */
  static JsonObject checked(JsonObject contract) {
    if (!String.valueOf(contract.getValue("openapi")).startsWith("3.1")) {
      throw new IllegalArgumentException("not OpenAPI 3.1");
    }
    for (String part : List.of("paths", "components")) {
      Object value = contract.getValue(part);
      if (value != null && !(value instanceof JsonObject object && object.stream().allMatch(e ->
        e.getValue() instanceof JsonObject inner && inner.stream().allMatch(i -> !(METHODS.contains(i.getKey()))
          || i.getValue() instanceof JsonObject op && op.getValue("responses") instanceof JsonObject)))) {
        throw new IllegalArgumentException(part + " is not an object of objects");
      }
    }
    return contract;
  }

  private static void throughTheGateway(String service, String method, JsonObject operation) {
    String id = operation.getString("operationId");
    if (id != null && !id.isEmpty()) {
      operation.put("operationId", service + id.substring(0, 1).toUpperCase(Locale.ROOT) + id.substring(1));
    }
    operation.put("tags", new JsonArray().add(service));
    JsonObject responses = operation.getJsonObject("responses");
    JsonObject key = new JsonObject().put("apiKey", new JsonArray());
    if (READS.contains(method)) {
      operation.put("security", new JsonArray().add(new JsonObject()).add(key)); // optional, unless readsNeedKey
    } else {
      operation.put("security", new JsonArray().add(key));
    }
    responses.forEach(response -> {
      JsonObject headers = response.getValue() instanceof JsonObject r ? r.getJsonObject("headers") : null;
      if (headers != null) {
        for (String name : List.of("Location", "Link")) {
          prefixed(service, headers.getJsonObject(name));
        }
      }
    });
    responses.getMap().putIfAbsent("401", ref("Unauthorized"));
    responses.getMap().putIfAbsent("429", ref("RateLimited"));
    responses.getMap().putIfAbsent("502", ref("BadGateway"));
    responses.getMap().putIfAbsent("504", ref("GatewayTimeout"));
  }

  /**
   * The gateway puts its prefix on the paths in {@code Location} and {@code Link}: a pattern the service gives such
   * a header ({@code ^/orders/...}) gets it too.
   */
  private static void prefixed(String service, JsonObject header) {
    JsonObject schema = header == null ? null : header.getJsonObject("schema");
    String pattern = schema == null ? null : schema.getString("pattern");
    if (pattern != null) {
      for (String start : List.of("^/", "^</")) {
        if (pattern.startsWith(start)) {
          schema.put("pattern", start + "api/" + service + "/" + pattern.substring(start.length()));
          return;
        }
      }
    }
  }

  private static JsonObject ref(String response) {
    return new JsonObject().put("$ref", "#/components/responses/" + response);
  }

  /** A copy of the value with each {@code $ref} in {@code renamed} pointing at its new name. */
  private static Object rewritten(Object value, Map<String, String> renamed) {
    if (value instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(e -> copy.put(e.getKey(), "$ref".equals(e.getKey()) && e.getValue() instanceof String ref
        ? renamed.getOrDefault(ref, ref) : rewritten(e.getValue(), renamed)));
      return copy;
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(v -> copy.add(rewritten(v, renamed)));
      return copy;
    }
    return value;
  }
}
