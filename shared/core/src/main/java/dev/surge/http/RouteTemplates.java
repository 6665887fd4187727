package dev.surge.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Which of a router's path templates ({@code /products/:id}) a raw path falls under. */
final class RouteTemplates {

  /** Compiled once per template: the templates are the routes written in code, a bounded set. */
  private static final ConcurrentHashMap<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  /** The route of a request no route template matches. */
  static final String UNMATCHED = "unmatched";

  private RouteTemplates() {
  }

  /** The template of the route that answered; a failure handler has none, so the path is matched again. */
  static String routeOf(RoutingContext ctx, Router router) {
    Route route = ctx.currentRoute();
    String template = route == null ? null : route.getPath();
    if (template == null) {
      template = templateOf(router, ctx.request().path());
    }
    return template == null ? UNMATCHED : template;
  }

  /** The first template with methods that matches the path, or null. */
  static String templateOf(Router router, String path) {
    for (Route route : router.getRoutes()) {
      String template = route.getPath();
      if (template != null && route.methods() != null && !route.methods().isEmpty() && matches(template, path)) {
        return template;
      }
    }
    return null;
  }

  /** Every method some route accepts on the path, HEAD included wherever GET is. */
  static Set<String> allowedMethods(Router router, String path) {
    Set<String> methods = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      String template = route.getPath();
      if (template != null && route.methods() != null && matches(template, path)) {
        route.methods().stream().map(HttpMethod::name).forEach(methods::add);
      }
    }
    if (methods.contains("GET")) {
      methods.add("HEAD");
    }
    return methods;
  }

  private static boolean matches(String template, String path) {
    return PATTERNS.computeIfAbsent(template, t -> Pattern.compile(Arrays.stream(t.split("/", -1))
      .map(segment -> segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment))
      .collect(Collectors.joining("/")))).matcher(path).matches();
  }
}
