package dev.surge.gateway;

import dev.surge.redis.RedisComponent;
import dev.surge.ServiceDefinition;
import dev.surge.Launcher;
import dev.surge.config.ChassisKeys;
import dev.surge.tracing.CallerTraces;
import dev.surge.config.ConfigKey;
import dev.surge.config.SurgeConfig;
import dev.surge.gateway.access.AccessOptions;
import dev.surge.gateway.proxy.ApiProxy;
import dev.surge.gateway.console.Console;
import dev.surge.gateway.console.InstancesApi;
import dev.surge.http.ApiContract;
import dev.surge.gateway.docs.ApiReference;
import dev.surge.gateway.proxy.ProxyOptions;
import dev.surge.HttpApi;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway: one entry port in front of every service, as nginx stands in front of gunicorn or CherryPy. It
 * keeps no data, so it runs without PostgreSQL.
 */
public final class GatewayMain {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

  public static final int DEFAULT_PORT = 8080;

  /** Each service behind the gateway and the key listing its replicas; a service with none is not served. */
  public static final Map<String, ConfigKey<List<String>>> UPSTREAMS = new LinkedHashMap<>();

  static {
    UPSTREAMS.put("catalog", upstreams("catalog", "127.0.0.1:8081"));
    UPSTREAMS.put("orders", upstreams("orders", "127.0.0.1:8084"));
    UPSTREAMS.put("jobs", upstreams("jobs", "127.0.0.1:8083"));
    UPSTREAMS.put("bench", upstreams("bench", null));
  }

  public static final ConfigKey<List<String>> API_KEYS = ConfigKey.list("gateway.apiKeys",
      java.util.regex.Pattern.compile("[0-9a-fA-F]{64}"), "SHA-256 digests in hex (64 characters), comma-separated",
      "Digests of the API keys that may write (POST, PATCH, PUT, DELETE); none: writes from loopback clients only")
    .secret(digests -> digests.isEmpty() ? digests : "(" + digests.split(",").length + " digests)");
  public static final ConfigKey<String> TRACE_VIEWER = ConfigKey.string("gateway.traceViewer", null,
    java.util.regex.Pattern.compile("https?://[^\\s{}@]{1,1000}\\{traceId}[^\\s{}@]{0,1000}"),
    "an http or https URL with {traceId} in it (and no user info: it is shown to the console's readers)",
    "Where the console links a job or an order to its trace: a trace viewer's page for {traceId}, such as Jaeger's "
      + "http://localhost:16686/trace/{traceId} (none: no links)");
  public static final ConfigKey<List<String>> OPERATOR_KEYS = ConfigKey.list("gateway.operatorKeys",
      java.util.regex.Pattern.compile("[0-9a-fA-F]{64}"), "SHA-256 digests in hex (64 characters), comma-separated",
      "Digests of the keys that may see and change the services' instances from the console (scale, rolling "
        + "restart); none: changes from loopback clients only")
    .secret(digests -> digests.isEmpty() ? digests : "(" + digests.split(",").length + " digests)");
  public static final ConfigKey<Integer> ADMIN_PORT = ConfigKey.integer("gateway.adminPort", 0, 0, 65535,
    "The port of the services' admin APIs (their admin.port), on each replica's host, which the console's instances "
      + "view reaches through the gateway; 0: no instances view");
  public static final ConfigKey<String> ADMIN_TOKEN = ConfigKey.string("gateway.adminToken", null,
      java.util.regex.Pattern.compile("[\\x21-\\x7e]{16,256}"), "16 to 256 printable characters, no spaces",
      "The services' admin.token, sent to their admin APIs as Authorization: Bearer (needed when they listen off "
        + "loopback)")
    .secret(token -> "****");
  public static final ConfigKey<Boolean> READS_NEED_KEY = ConfigKey.bool("gateway.readsNeedKey", false,
    "Reads (GET, HEAD, OPTIONS) need an API key too, when keys are configured");
  public static final ConfigKey<List<String>> TRUSTED_PROXIES = ConfigKey.list("gateway.trustedProxies",
    dev.surge.http.ClientAddresses::isCidr, "IP addresses or CIDR ranges, comma-separated, such as 10.0.0.0/8,::1",
    "Proxies whose forwarding header names the client; from any other peer the header is ignored");
  public static final ConfigKey<String> FORWARDED_HEADER = ConfigKey.oneOf("gateway.forwardedHeader",
    "x-forwarded-for", dev.surge.http.ClientAddresses.HEADERS,
    "The header gateway.trustedProxies set to name the client (X-Forwarded-For, or RFC 7239 Forwarded)");
  public static final ConfigKey<Integer> KEY_FAILURES = ConfigKey.integer("gateway.keyFailures", 10, 1, 10_000,
    "Unknown API keys a client (address) may send within gateway.keyFailureWindow before it gets 429");
  public static final ConfigKey<Duration> KEY_FAILURE_WINDOW = ConfigKey.duration("gateway.keyFailureWindow",
    Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1),
    "How long a client's unknown API keys count, from the first");
  public static final ConfigKey<Integer> RATE_LIMIT = ConfigKey.integer("gateway.rateLimit", 0, 0, 1_000_000,
    "Requests a second each client (API key, else address) may make through the gateway; 0: no limit");
  public static final ConfigKey<Integer> RATE_BURST = ConfigKey.integer("gateway.rateBurst", 100, 1, 10_000_000,
    "Requests a client may make at once before gateway.rateLimit paces it");
  public static final ConfigKey<String> BALANCING = ConfigKey.oneOf("gateway.balancing", "round-robin",
    List.of("round-robin", "least-in-flight"), "How requests spread over a service's replicas");
  public static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.duration("gateway.connectTimeout",
    Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofMinutes(1),
    "How long connecting to a replica may take before it counts as unreachable");
  public static final ConfigKey<Duration> KEEP_ALIVE = ConfigKey.duration("gateway.keepAlive", Duration.ofSeconds(30),
    Duration.ofSeconds(1), Duration.ofHours(1),
    "How long a connection to a replica may stay idle in the gateway's pool before the gateway closes it; keep it "
      + "below the services' http.idleTimeout, so that the gateway, not the service, closes an idle connection: a "
      + "request sent on a connection the service is closing breaks off, and a POST cannot be sent again (502)");
  public static final ConfigKey<Duration> TIMEOUT = ConfigKey.duration("gateway.timeout", Duration.ofSeconds(30),
    Duration.ofMillis(10), Duration.ofHours(1),
    "How long a replica may stay silent (no answer, no bytes) before the gateway answers 504");
  public static final ConfigKey<Map<String, Duration>> TIMEOUTS = ConfigKey.namedDurations("gateway.timeouts",
    Duration.ofMillis(10), Duration.ofHours(1), "gateway.timeout for some APIs only, such as orders=5s,jobs=2m");
  public static final ConfigKey<Integer> BREAKER_FAILURES = ConfigKey.integer("gateway.breakerFailures", 5, 1, 10_000,
    "Failures in a row (unreachable, timed out, 5xx), each with no other replica left to take requests, that open "
      + "a service's circuit breaker");
  public static final ConfigKey<Duration> BREAKER_OPEN_FOR = ConfigKey.duration("gateway.breakerOpenFor",
    Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(10),
    "How long an open breaker answers 503 before it lets one request through to try the service again");
  public static final ConfigKey<Duration> HEALTH_INTERVAL = ConfigKey.duration("gateway.healthInterval",
    Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofMinutes(10),
    "How often each replica's /health/ready is checked, each time on a new connection: one not ready gets no "
      + "requests until it is, and one that cannot be connected to within this time (or gateway.connectTimeout, "
      + "if shorter) two checks in a row also has its open connections closed, failing the requests held on them");
  public static final ConfigKey<Integer> EJECT_AFTER = ConfigKey.integer("gateway.ejectAfter", 3, 1, 1000,
    "Failed requests in a row (unreachable, timed out, 5xx) after which a replica is ejected");
  public static final ConfigKey<Duration> EJECT_FOR = ConfigKey.duration("gateway.ejectFor", Duration.ofSeconds(10),
    Duration.ofMillis(100), Duration.ofMinutes(10),
    "How long an ejected replica gets no requests, unless its readiness check passes sooner");
  public static final ConfigKey<Integer> CONNECTIONS_PER_REPLICA = ConfigKey.integer("gateway.connectionsPerReplica",
    64, 1, 10_000, "Most connections each HTTP instance keeps open to one replica");
  public static final ConfigKey<Integer> MAX_IN_FLIGHT_PER_SERVICE = ConfigKey.integer(
    "gateway.maxInFlightPerService", 250, 1, 1_000_000, "Requests each HTTP instance has in flight to one service at"
      + " once (its bulkhead: a hung service holds no more); beyond it 503 upstream-busy with Retry-After");
  public static final ConfigKey<Duration> POOL_WAIT = ConfigKey.duration("gateway.poolWait", Duration.ofSeconds(5),
    Duration.ofMillis(10), Duration.ofMinutes(10), "How long a request may wait for a free connection to a replica"
      + " (all gateway.connectionsPerReplica busy) before it is 503 upstream-busy with Retry-After");

  private GatewayMain() {
  }

  private static ConfigKey<List<String>> upstreams(String service, String local) {
    ConfigKey<List<String>> key = ConfigKey.hostPorts("gateway.upstreams." + service,
      "Replicas of the " + service + " service behind /api/" + service + " (none: not served)");
    return local == null ? key : key.withDefault(List.of(local));
  }

  public static ServiceDefinition definition() {
    List<ConfigKey<?>> keys = new ArrayList<>(UPSTREAMS.values());
    keys.addAll(List.of(API_KEYS, READS_NEED_KEY, OPERATOR_KEYS, TRACE_VIEWER, ADMIN_PORT, ADMIN_TOKEN, TRUSTED_PROXIES, FORWARDED_HEADER, KEY_FAILURES, KEY_FAILURE_WINDOW,
      RATE_LIMIT, RATE_BURST, BALANCING, CONNECT_TIMEOUT, KEEP_ALIVE, TIMEOUT, TIMEOUTS, BREAKER_FAILURES, BREAKER_OPEN_FOR, HEALTH_INTERVAL,
      EJECT_AFTER, EJECT_FOR, CONNECTIONS_PER_REPLICA, MAX_IN_FLIGHT_PER_SERVICE, POOL_WAIT));
    JsonObject contract = ApiReference.baseContract(); // read here, not on an event loop
    return ServiceDefinition.builder("gateway")
      .defaultPort(DEFAULT_PORT)
      .use(RedisComponent.cache())
      .configKeys(keys)
      .streaming("/api/.*")
      // Clients send traceparent headers as they like: each request starts a trace of the gateway's, linked to theirs.
      .withDefault(ChassisKeys.TRACING_CALLER_TRACES, CallerTraces.LINK.configName())
      .contract(ApiReference.CONTRACT)
      .onStart(ctx -> {
        if (ctx.config().get(API_KEYS).isEmpty()) {
          LOG.warn("No API keys configured (gateway.apiKeys): writes are taken from loopback clients only");
        }
        return Future.succeededFuture();
      })
      .http(ctx -> {
        ProxyOptions options = proxyOptions(ctx.config());
        ApiProxy proxy = new ApiProxy(ctx, options);
        return new HttpApi() {
          @Override
          public void routes(Router router) {
            proxy.guard(router, "/console/api/overview");
            proxy.guard(router, ApiContract.PATH);
            proxy.guardOperators(router, "/console/api/instances*");
            new InstancesApi(ctx, options.upstreams(), ctx.config().get(ADMIN_PORT), ctx.config().get(ADMIN_TOKEN))
              .routes(router); // before the console's files, under the same /console
            new Console(ctx, proxy::upstreams, ctx.config().get(TRACE_VIEWER)).routes(router);
            new ApiReference(ctx, options.upstreams(), contract).routes(router);
            proxy.routes(router);
          }

          /** Facing the network, its meters (every replica's address among them) are held to the APIs' reads. */
          @Override
          public Handler<RoutingContext> scrapeCheck() {
            return proxy.readCheck();
          }
        };
      })
      .build();
  }

  /** The one place the proxy's keys are read: what ApiProxy and its Access get. */
  static ProxyOptions proxyOptions(SurgeConfig config) {
    Map<String, List<String>> upstreams = new LinkedHashMap<>();
    UPSTREAMS.forEach((service, key) -> {
      if (!config.get(key).isEmpty()) {
        upstreams.put(service, config.get(key));
      }
    });
    AccessOptions access = new AccessOptions(config.get(API_KEYS), config.get(READS_NEED_KEY),
      config.get(TRUSTED_PROXIES), config.get(FORWARDED_HEADER), config.get(KEY_FAILURES),
      config.get(KEY_FAILURE_WINDOW), config.get(RATE_LIMIT), config.get(RATE_BURST), config.get(OPERATOR_KEYS));
    return new ProxyOptions(upstreams, config.get(BALANCING), config.get(CONNECT_TIMEOUT), config.get(KEEP_ALIVE),
      config.get(TIMEOUT),
      config.get(TIMEOUTS), config.get(BREAKER_FAILURES), config.get(BREAKER_OPEN_FOR), config.get(HEALTH_INTERVAL),
      config.get(EJECT_AFTER), config.get(EJECT_FOR), config.get(CONNECTIONS_PER_REPLICA),
      config.get(MAX_IN_FLIGHT_PER_SERVICE), config.get(POOL_WAIT), config.get(ChassisKeys.HTTP_RETRY_AFTER), access);
  }

  public static void main(String[] args) {
    Launcher.run(definition(), args);
  }
}
