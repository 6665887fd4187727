package dev.surge.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service's OpenAPI 3.1 contract, served at {@value #PATH}: the document written beside its routes (a classpath
 * resource), merged with what the chassis serves and answers on every service, so no service writes that twice.
 * The chassis adds its own paths ({@code /health/live}, {@code /health/ready}, {@code /metrics}, this document), its
 * components ({@code Problem}, {@code Retry-After}, {@code X-Request-Id}...), a {@code default} problem response and a
 * 503 (overloaded, timed out: any route can answer it) to every operation that has none, and {@code X-Request-Id}
 * to every operation and response.
 *
 * <p>The HTTP instances compare the routes a service's {@code HttpApi} registers with the operations here
 * ({@link #mismatches}) and refuse to start on any difference, so a route cannot be served without a contract nor
 * documented without being served: every test that starts the service checks it.
 */
public final class ApiContract {

  /** Where each service serves its contract. */
  public static final String PATH = "/openapi.json";

  private static final String CHASSIS_RESOURCE = "dev/surge/http/openapi-chassis.json";
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
    "trace");
  private static final String REQUEST_ID = "X-Request-Id";

  private final String resource;
  private final JsonObject document;
  private final Set<String> operations;
  private final Set<String> chassisOperations;
  private final Buffer encoded;

  private ApiContract(String resource, JsonObject own) {
    this.resource = resource;
    this.operations = operationsOf(own.getJsonObject("paths"));
    JsonObject chassis = read(CHASSIS_RESOURCE);
    this.chassisOperations = operationsOf(chassis.getJsonObject("paths"));
    this.document = merge(resource, own, chassis);
    this.encoded = document.toBuffer();
  }

  /**
   * Reads the service's own document, a classpath resource such as {@code openapi/catalog.json}; fails at once when
   * it is missing, not JSON, not OpenAPI 3.1, or defines a path or a component the chassis defines.
   */
  public static ApiContract fromResource(String resource) {
    return new ApiContract(resource, read(resource));
  }

  /** The resource the service's own part came from. */
  public String resource() {
    return resource;
  }

  /** The whole document, the chassis's parts included (a copy). */
  public JsonObject document() {
    return document.copy();
  }

  /** The document as served. */
  Buffer encoded() {
    return encoded;
  }

  /** The service's own operations, as {@code METHOD /path/{param}}: what its routes must be. */
  public Set<String> operations() {
    return operations;
  }

  /**
   * What differs between the routes a service registered and its operations: each served route the contract lacks,
   * then each documented operation no route serves; empty when they agree. Routes without a path template or a
   * method (handlers on every request, path prefixes, regular expressions) are not operations and are left out, and so are the
   * chassis's own operations, which a service may serve in its own way (the gateway's {@value #PATH} is the aggregate
   * of every service's contract).
   */
  public List<String> mismatches(Collection<Route> routes) {
    Set<String> served = new TreeSet<>();
    for (Route route : routes) {
      String path = route.getPath();
      if (path == null || !route.isExactPath() || route.methods() == null || route.methods().isEmpty()) {
        continue;
      }
      String template = path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      for (HttpMethod method : route.methods()) {
        served.add(method.name() + " " + template);
      }
    }
    List<String> mismatches = new ArrayList<>();
    served.removeAll(chassisOperations);
    served.stream().filter(s -> !operations.contains(s)).forEach(s -> mismatches.add("served, not in the contract: " + s));
    operations.stream().filter(o -> !served.contains(o)) // a route's path also matches with a last slash (Vert.x)
      .filter(o -> !(o.endsWith("/") && served.contains(o.substring(0, o.length() - 1)))).forEach(o -> mismatches.add("in the contract, not served: " + o));
    return mismatches;
  }

  /** Whether a service's own routes serve {@code GET} {@value #PATH} (the chassis then leaves it to them). */
  static boolean servedAmong(Collection<Route> routes) {
    return routes.stream().anyMatch(route -> PATH.equals(route.getPath()) && route.methods() != null
      && route.methods().contains(HttpMethod.GET));
  }

  private static Set<String> operationsOf(JsonObject paths) {
    Set<String> operations = new TreeSet<>();
    paths.forEach(path -> ((JsonObject) path.getValue()).fieldNames().stream().filter(METHODS::contains)
      .forEach(method -> operations.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
    return operations;
  }

  private static JsonObject merge(String resource, JsonObject own, JsonObject chassis) {
    if (!String.valueOf(own.getString("openapi")).startsWith("3.1") || own.getJsonObject("info") == null) {
      throw new IllegalStateException(resource + " is not an OpenAPI 3.1 document with info");
    }
    JsonObject document = own.copy();
    JsonObject paths = document.getJsonObject("paths");
    chassis.getJsonObject("paths").forEach(path -> {
      if (paths.containsKey(path.getKey())) {
        throw new IllegalStateException(resource + " defines " + path.getKey() + ", which the chassis serves");
      }
      paths.put(path.getKey(), path.getValue());
    });
    JsonObject components = document.getJsonObject("components", new JsonObject());
    document.put("components", components);
    chassis.getJsonObject("components").forEach(section -> {
      JsonObject mine = components.getJsonObject(section.getKey(), new JsonObject());
      components.put(section.getKey(), mine);
      ((JsonObject) section.getValue()).forEach(component -> {
        if (mine.containsKey(component.getKey())) {
          throw new IllegalStateException(resource + " defines the component " + section.getKey() + "/"
            + component.getKey() + ", which the chassis defines");
        }
        mine.put(component.getKey(), component.getValue());
      });
    });
    paths.forEach(path -> ((JsonObject) path.getValue()).forEach(operation -> {
      if (METHODS.contains(operation.getKey())) {
        everyOperationHas((JsonObject) operation.getValue());
      }
    }));
    components.getJsonObject("responses").forEach(response -> carriesRequestId((JsonObject) response.getValue()));
    return document;
  }

  private static void everyOperationHas(JsonObject operation) {
    JsonArray parameters = operation.getJsonArray("parameters", new JsonArray());
    operation.put("parameters", parameters);
    String ref = "#/components/parameters/" + REQUEST_ID;
    if (parameters.stream().noneMatch(p -> p instanceof JsonObject o && ref.equals(o.getString("$ref")))) {
      parameters.add(new JsonObject().put("$ref", ref));
    }
    JsonObject responses = operation.getJsonObject("responses");
    if (!responses.containsKey("default")) {
      responses.put("default", new JsonObject().put("$ref", "#/components/responses/Problem"));
    }
    if (!responses.containsKey("503")) { // every route: the overload shedder, the request timeout
      responses.put("503", new JsonObject().put("$ref", "#/components/responses/Unavailable"));
    }
    responses.forEach(response -> carriesRequestId((JsonObject) response.getValue()));
  }

  private static void carriesRequestId(JsonObject response) {
    if (response.containsKey("$ref")) {
      return; // a component, which gets it where it is defined
    }
    JsonObject headers = response.getJsonObject("headers", new JsonObject());
    response.put("headers", headers);
    headers.getMap().putIfAbsent(REQUEST_ID, new JsonObject().put("$ref", "#/components/headers/" + REQUEST_ID));
  }

  /** Reads a resource of the chassis or of a service jar, at start-up (before any event loop serves). */
  private static JsonObject read(String resource) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null || loader.getResource(resource) == null) {
      loader = ApiContract.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("No OpenAPI document at " + resource + " on the class path");
      }
      return new JsonObject(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (DecodeException e) {
      throw new IllegalStateException(resource + " is not JSON: " + e.getMessage(), e);
    }
  }
}
