package dev.surge.gateway.console;

import dev.surge.HttpApi;
import dev.surge.ServiceContext;
import dev.surge.gateway.pages.BoundedRead;
import dev.surge.gateway.pages.BoundedRead.Answer;
import dev.surge.gateway.upstreams.Replica;
import dev.surge.http.MediaTypes;
import dev.surge.http.Problem;
import dev.surge.http.Requests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The console's instances view: each replica's verticle instances as its admin API tells them, and the changes an
 * operator makes there, through the gateway, with an operator key ({@code gateway.operatorKeys}, checked in front of
 * these routes by {@code GatewayMain}).
 * <pre>
 *   GET  /console/api/instances                                   every replica's instances, by service
 *   PUT  /console/api/instances/{service}/{replica}/{verticle}     {"instances": n}: scale that verticle there
 *   POST /console/api/instances/{service}/{replica}/restart        a rolling restart of that replica's instances
 * </pre>
 * A replica is one of the service's configured addresses ({@code gateway.upstreams.*}) and its admin API is on the
 * same host at {@code gateway.adminPort}, with {@code gateway.adminToken}: no request names another address. The
 * admin API's answer (its problem, say) is passed on as it is; an admin API that does not answer is a 502 problem.
 */
public final class InstancesApi implements HttpApi {

  /** How long an admin API may take to answer (a rolling restart waits for each instance in turn). */
  public static final long DEFAULT_ADMIN_TIMEOUT_MS = 30_000;
  /** The largest admin answer passed on. */
  public static final int MAX_ANSWER_BYTES = 1024 * 1024;

  private static final Pattern VERTICLE = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  private final Vertx vertx;
  private final HttpClient client;
  private final Map<String, List<String>> upstreams;
  private final int adminPort;
  private final String adminToken;

  public InstancesApi(ServiceContext context, Map<String, List<String>> upstreams, int adminPort, String adminToken) {
    this.vertx = context.vertx();
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setConnectTimeout(2000));
    this.upstreams = new LinkedHashMap<>(upstreams);
    this.adminPort = adminPort;
    this.adminToken = adminToken;
  }

  @Override
  public void routes(Router router) {
    router.get("/console/api/instances").handler(this::list);
    router.put("/console/api/instances/:service/:replica/:verticle").handler(ctx -> {
      String verticle = ctx.pathParam("verticle");
      if (!VERTICLE.matcher(verticle).matches()) {
        throw Problem.validation().fieldError("verticle", "is not a verticle's name").asException();
      }
      change(ctx, HttpMethod.PUT, "/admin/instances/" + verticle, ctx.body().buffer());
    });
    router.post("/console/api/instances/:service/:replica/restart")
      .handler(ctx -> change(ctx, HttpMethod.POST, "/admin/restart", Buffer.buffer()));
  }

  private void list(RoutingContext ctx) {
    configured();
    JsonArray services = new JsonArray();
    List<Future<?>> asked = new ArrayList<>();
    upstreams.forEach((service, replicas) -> {
      JsonArray list = new JsonArray();
      services.add(new JsonObject().put("name", service).put("replicas", list));
      for (String replica : replicas) {
        JsonObject entry = new JsonObject().put("address", replica);
        list.add(entry);
        asked.add(admin(replica, HttpMethod.GET, "/admin/instances", null).map(answer -> {
          JsonArray own = new JsonArray();
          if (answer.status() == 200) {
            JsonObject read = new JsonObject(answer.body());
            if (read.getBoolean("restarting", false)) {
              entry.put("restarting", true);
            }
            read.getJsonArray("instances", new JsonArray()).stream()
              .filter(i -> i instanceof JsonObject o && o.getString("verticle", "").startsWith(service + "."))
              .forEach(own::add); // a process running several services (the all-in-one) tells all of them
            entry.put("instances", own);
          } else {
            entry.put("unreachable", true);
          }
          return null;
        }).otherwise(e -> entry.put("unreachable", true)));
      }
    });
    Future.join(asked).onComplete(ar -> {
      if (Requests.writable(ctx)) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).putHeader("Cache-Control", "no-store")
          .end(new JsonObject().put("services", services).toBuffer());
      }
    });
  }

  private void change(RoutingContext ctx, HttpMethod method, String path, Buffer body) {
    configured();
    String service = ctx.pathParam("service");
    String replica = ctx.pathParam("replica");
    List<String> replicas = upstreams.get(service);
    if (replicas == null || !replicas.contains(replica)) {
      throw Problem.notFound("No replica " + replica + " of a service " + service + " behind this gateway")
        .asException();
    }
    admin(replica, method, path, body).onComplete(ar -> {
      if (!Requests.writable(ctx)) {
        return;
      }
      if (ar.failed()) {
        Problem.of(502, "bad-gateway", "Bad gateway")
          .detail("The admin API of " + replica + " did not answer").send(ctx);
        return;
      }
      Answer answer = ar.result();
      ctx.response().setStatusCode(answer.status())
        .putHeader("Content-Type", answer.contentType() == null ? "application/json" : answer.contentType())
        .end(answer.body());
    });
  }

  private void configured() {
    if (adminPort == 0) {
      throw Problem.notFound("The instances are not reachable from the gateway: gateway.adminPort is not set")
        .asException();
    }
  }

  private Future<Answer> admin(String replica, HttpMethod method, String path, Buffer body) {
    RequestOptions request = new RequestOptions().setMethod(method).setHost(Replica.socketOf(replica).host())
      .setPort(adminPort).setURI(path);
    if (adminToken != null) {
      request.putHeader("Authorization", "Bearer " + adminToken);
    }
    if (body != null && body.length() > 0) {
      request.putHeader("Content-Type", "application/json");
    }
    return BoundedRead.exchange(vertx, client, request, body, status -> true, DEFAULT_ADMIN_TIMEOUT_MS,
      MAX_ANSWER_BYTES);
  }
}
