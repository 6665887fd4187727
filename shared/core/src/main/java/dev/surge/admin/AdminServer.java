package dev.surge.admin;

import dev.surge.arbiter.Arbiter;
import dev.surge.arbiter.InstanceView;
import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigException;
import dev.surge.config.SurgeConfig;
import dev.surge.http.Failures;
import dev.surge.http.JsonInput;
import dev.surge.http.LoopbackBrowsers;
import dev.surge.http.Problem;
import dev.surge.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The arbiter's HTTP API, on its own port ({@code admin.port}, {@code admin.host}), apart from the service's:
 * <ul>
 *   <li>{@code GET /admin/instances}: every instance of every verticle, and whether a rolling restart is under
 *   way;</li>
 *   <li>{@code PUT /admin/instances/{verticle}} with {@code {"instances": N}}: scales to N, answering once done;</li>
 *   <li>{@code POST /admin/restart}: a rolling restart, answered 202 as it starts; asked again while it runs, the
 *   same restart;</li>
 *   <li>{@code GET /admin/config}: each service's effective configuration, secrets masked.</li>
 * </ul>
 * With {@code admin.token} set, every request needs {@code Authorization: Bearer <token>}; bound off loopback,
 * the token is required and the process refuses to start without one. Without a token the API trusts being
 * reachable on loopback only, so it also refuses what a browser could send it from a web page: a {@code Host}
 * that is not loopback (a page's own name rebound to 127.0.0.1, DNS rebinding) gets 421, and a write carrying
 * an {@code Origin} other than the admin API's own (loopback at its port), or {@code Sec-Fetch-Site: cross-site},
 * gets 403.
 */
public final class AdminServer {

  public static final int MAX_INSTANCES = 1024;
  private static final Pattern LOOPBACK = Pattern.compile("localhost|127(\\.\\d{1,3}){3}|::1|\\[::1]");

  private AdminServer() {
  }

  /** Whether the admin API can be opened as configured: off loopback only with a token. */
  public static void validate(SurgeConfig config) {
    if (unguarded(config.get(ChassisKeys.ADMIN_HOST), config.get(ChassisKeys.ADMIN_PORT),
      config.get(ChassisKeys.ADMIN_TOKEN))) {
      throw new ConfigException("admin.host is " + config.get(ChassisKeys.ADMIN_HOST)
        + ", not loopback: set admin.token (sent as Authorization: Bearer <token>), or bind admin.host to 127.0.0.1");
    }
  }

  /** Open off loopback with no token: what {@link #validate} refuses at start and {@link #start} never opens. */
  private static boolean unguarded(String host, int port, String token) {
    return port != 0 && token == null && !LOOPBACK.matcher(host).matches();
  }

  /** Listens when {@code admin.port} is set; a succeeded null future when it is 0 (off). */
  public static Future<HttpServer> start(Vertx vertx, Arbiter arbiter, AdminOptions options) {
    if (options.port() == 0) {
      return Future.succeededFuture();
    }
    if (unguarded(options.host(), options.port(), options.token())) { // validate() says so at start, with the keys
      return Future.failedFuture(new IllegalStateException("an admin API off loopback needs a token"));
    }
    String token = options.token();
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    if (token != null) {
      byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
      router.route().handler(ctx -> {
        String given = ctx.request().getHeader("Authorization");
        if (given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
          ctx.next();
        } else {
          Problem.of(401, "unauthorized", "Unauthorized")
            .detail("The admin API needs Authorization: Bearer <admin.token>")
            .header("WWW-Authenticate", "Bearer realm=\"surge-admin\"").send(ctx);
        }
      });
    } else {
      router.route().handler(AdminServer::loopbackOnly);
    }
    router.get("/admin/instances").handler(ctx -> ctx.json(instances(arbiter.instances())
      .put("restarting", arbiter.restarting())));
    router.put("/admin/instances/:verticle").handler(BodyHandler.create(false).setBodyLimit(4096))
      .handler(ctx -> scale(ctx, arbiter));
    // Answered as the restart starts, not once done: it takes an instance's drain per instance, longer than a
    // caller waits (the gateway's console gives up after gateway.timeout), and in the all-in-one process it replaces
    // the very gateway instance that waits for the answer, which would wait out its grace for itself.
    router.post("/admin/restart").handler(ctx -> {
      arbiter.restart();
      ctx.response().setStatusCode(202).putHeader("Location", "/admin/instances");
      ctx.json(instances(arbiter.instances()).put("restarting", true));
    });
    router.get("/admin/config").handler(ctx -> {
      JsonObject services = new JsonObject();
      new TreeMap<>(arbiter.configs()).forEach(services::put);
      ctx.json(new JsonObject().put("services", services));
    });
    new Failures(router, 1).install();
    return vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.port()))
      .requestHandler(router)
      .listen();
  }

  /** Without a token: only a loopback Host, and no write a browser sends on behalf of another site. */
  private static void loopbackOnly(RoutingContext ctx) {
    if (!LoopbackBrowsers.loopbackHost(ctx.request())) {
      Problem.of(421, "misdirected-request", "Misdirected Request")
        .detail("Without admin.token the admin API answers only requests for localhost, 127.0.0.1 or [::1]")
        .send(ctx);
      return;
    }
    if (LoopbackBrowsers.crossSiteChange(ctx.request())) {
      Problem.of(403, "forbidden", "Forbidden")
        .detail("The admin API refuses changes sent by a web page from another site").send(ctx);
      return;
    }
    ctx.next();
  }

  private static void scale(RoutingContext ctx, Arbiter arbiter) {
    String name = ctx.pathParam("verticle");
    String verticle = arbiter.resolve(name);
    if (verticle == null) {
      Problem.notFound("No verticle " + name + "; the verticles are " + arbiter.verticles()).send(ctx);
      return;
    }
    JsonInput input = JsonInput.body(ctx).onlyFields(Set.of("instances"), Set.of());
    Long instances = input.integer("instances", true, 1, MAX_INSTANCES);
    input.validate();
    arbiter.scale(verticle, instances.intValue())
      .onSuccess(views -> ctx.json(instances(views).put("verticle", verticle)))
      .onFailure(ctx::fail);
  }

  private static JsonObject instances(List<InstanceView> views) {
    return new JsonObject().put("instances", new JsonArray(views.stream().map(InstanceView::toJson).toList()));
  }
}
