package dev.surge.gateway.proxy;

import dev.surge.HttpApi;
import dev.surge.ServiceContext;
import dev.surge.gateway.access.Access;
import dev.surge.http.ClientAddresses;
import dev.surge.gateway.upstreams.Balancing;
import dev.surge.gateway.upstreams.Replica;
import dev.surge.gateway.upstreams.ReplicaProbes;
import dev.surge.gateway.upstreams.Upstream;
import dev.surge.http.Problem;
import dev.surge.http.RequestIds;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * {@code /api/<service>/**} to a replica of the service, with the path it was routed on (see {@link ForwardedPath}),
 * the prefix stripped on the way in and put back on the
 * {@code Location} and {@code Link} headers and a JSON page's {@code next} on the way out; bodies stream through
 * (vertx-http-proxy), but for a JSON answer of known length up to 1 MiB, read whole to rewrite its {@code next}. The replica
 * is connected to before the proxy takes the request, so a replica that refuses the connection is skipped for the
 * next one when the method is idempotent, and no replica reachable is a 502 problem.
 *
 * <pre>
 *   ANY /api/catalog/**   the catalog's replicas (gateway.upstreams.catalog)
 *   ANY /api/orders/**    orders (gateway.upstreams.orders)
 *   ANY /api/jobs/**      jobs (gateway.upstreams.jobs)
 *   ANY /api/bench/**     the bench service, when configured (gateway.upstreams.bench)
 * </pre>
 */
public final class ApiProxy implements HttpApi {

  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
    HttpMethod.PUT, HttpMethod.DELETE);

  private static final MediaType PROBLEM_MEDIA_TYPE = MediaType.parse(Problem.CONTENT_TYPE);
  private static final long MAX_REWRITTEN_BODY = 1024 * 1024;
  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";
  private static final String FORWARDING = "surge.forwarding";
  private static final Logger LOG = LoggerFactory.getLogger(ApiProxy.class);

  private final HttpClient client;
  private final Map<String, Long> timeoutMs = new LinkedHashMap<>();
  private final long retryAfterSeconds;
  private final int maxInFlightPerService;
  private final long poolWaitMs;
  private final long busyRetryAfterSeconds;
  private final Map<String, io.micrometer.core.instrument.Counter> busy = new LinkedHashMap<>();
  private final int ejectAfter;
  private final long ejectForNanos;
  private final Map<String, Upstream> upstreams = new LinkedHashMap<>();
  private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
  private final Access access;
  private final MeterRegistry registry;
  private final Map<String, Timer> requestTimers = new java.util.HashMap<>();
  private final Map<HttpServerRequest, Forwarding> forwarding = new IdentityHashMap<>();

  public ApiProxy(ServiceContext context, ProxyOptions options) {
    this.client = context.vertx().createHttpClient(new HttpClientOptions().setKeepAlive(true)
        .setKeepAliveTimeout((int) Math.max(1, options.keepAlive().toSeconds()))
        .setConnectTimeout((int) options.connectTimeout().toMillis()),
      new PoolOptions().setHttp1MaxSize(options.connectionsPerReplica()));
    this.access = new Access(context, options.access());
    this.registry = context.registry();
    this.ejectAfter = options.ejectAfter();
    this.ejectForNanos = options.ejectFor().toNanos();
    Duration open = options.breakerOpenFor();
    this.retryAfterSeconds = Math.max(1, (open.toMillis() + 999) / 1000);
    this.maxInFlightPerService = options.maxInFlightPerService();
    this.poolWaitMs = options.poolWait().toMillis();
    this.busyRetryAfterSeconds = options.busyRetryAfter().toSeconds();
    Balancing balancing = Balancing.named(options.balancing());
    options.upstreams().forEach((service, addresses) -> {
      upstreams.put(service, new Upstream(service, addresses, balancing));
      timeoutMs.put(service, options.timeouts().getOrDefault(service, options.timeout()).toMillis());
      busy.put(service, io.micrometer.core.instrument.Counter.builder("surge_gateway_busy")
        .description("Requests answered 503 upstream-busy: the service's bulkhead full, or no connection free in time")
        .tags("upstream", service).register(registry));
      // The proxy's own timeout governs a request; the breaker only counts what came of it.
      breakers.put(service, CircuitBreaker.create("gateway-" + service, context.vertx(), new CircuitBreakerOptions()
        .setMaxFailures(options.breakerFailures()).setTimeout(-1)
        .setResetTimeout(open.toMillis())));
    });
    List<Meter> gauges = new ArrayList<>();
    upstreams.values().forEach(upstream -> upstream.replicas().forEach(replica -> gauges.add(Gauge.builder(
        "surge_gateway_replica_available", replica, r -> r.available(System.nanoTime()) ? 1 : 0)
      .description("1 while a replica takes requests (ready, not ejected) on an HTTP instance of the gateway")
      .tags("upstream", upstream.name(), "replica", replica.address(), "instance", Integer.toHexString(hashCode()))
      .register(registry))));
    // The readiness checks are the process's: this instance is told what each finds, on its own event loop.
    ContextInternal instance = (ContextInternal) context.vertx().getOrCreateContext();
    Runnable unwatch = ReplicaProbes.watch(context.vertx(), options.healthInterval(), options.connectTimeout(),
      instance, upstreams.values().stream().flatMap(upstream -> upstream.replicas().stream()).toList());
    // Gone with the instance (a restart, a scale-down, http.maxRequests): each instance's series would otherwise stay
    // for good, thousands after a few scalings, and the checks would go on telling it. Vert.x closes the instance's
    // context as it undeploys it; no public API tells an HttpApi of that.
    instance.addCloseHook(completion -> {
      gauges.forEach(registry::remove);
      unwatch.run();
      completion.succeed();
    });
  }

  /**
   * The APIs' checks (the API key, always on writes and on reads when {@code gateway.readsNeedKey}; the rate limit)
   * in front of other routes under {@code path}: the console's data, the contracts and the gateway's meters are held
   * to what the APIs' reads are, an operator key taken as an API key ({@link Access#readRoutes}).
   */
  public void guard(Router router, String path) {
    access.readRoutes(router, path);
  }

  /** The check of {@link #guard} alone, without the rate limit: for the gateway's scrape, taken before the shedder. */
  public Handler<RoutingContext> readCheck() {
    return access.readCheck();
  }

  /** The operators' checks ({@code gateway.operatorKeys}, the rate limit) in front of the routes under {@code path}. */
  public void guardOperators(Router router, String path) {
    access.operatorRoutes(router, path);
  }

  /** The services and their replicas, as this HTTP instance sees them (available, requests in flight). */
  public java.util.Collection<Upstream> upstreams() {
    return java.util.Collections.unmodifiableCollection(upstreams.values());
  }

  @Override
  public void routes(Router router) {
    router.route("/api/*").handler(ApiProxy::refuseEscapingPaths);
    router.route("/api/*").handler(ApiProxy::refuseTransferCodings);
    access.routes(router, "/api/*");
    upstreams.forEach((service, upstream) -> {
      // No WebSocket tunnel (vertx-http-proxy's default): no service serves WebSockets, and a tunnelled upgrade
      // skipped the Prefix interceptor and the forwarding headers, and held a pooled connection for its body.
      HttpProxy proxy = HttpProxy.reverseProxy(
        new io.vertx.httpproxy.ProxyOptions().setSupportWebSocket(false), client)
        .origin(proxyContext -> Future.succeededFuture(forwarding.get(proxyContext.request().proxiedRequest()).origin))
        .addInterceptor(new Prefix("/api/" + service));
      CircuitBreaker breaker = breakers.get(service);
      router.route("/api/" + service + "/*").handler(rc -> forward(rc, upstream, proxy, breaker));
    });
    router.route("/api/*").handler(rc -> {
      throw Problem.notFound("No API is served under " + rc.normalizedPath() + "; the gateway serves "
        + String.join(", ", upstreams.keySet().stream().map(s -> "/api/" + s).toList())).asException();
    });
  }

  /**
   * A path whose dot segments climb out of the {@code /api/<service>} prefix it names is a 400 problem, before
   * anything else looks at it. (A target that is not a path from the root is Vert.x Web's 404 before any route.)
   */
  private static void refuseEscapingPaths(RoutingContext rc) {
    if (ForwardedPath.leavesApiPrefix(rc.request().path())) {
      throw Problem.badRequest("The path's dot segments lead out of the API it names").asException();
    }
    rc.next();
  }

  /**
   * A body in a transfer coding other than {@code chunked} alone ({@code gzip, chunked}, {@code CHUNKED}) is a 400
   * problem: the gateway forwards chunked bodies as they come and decodes no other coding, and Vert.x's proxy would
   * refuse it with a bare 400.
   */
  private static void refuseTransferCodings(RoutingContext rc) {
    for (String coding : rc.request().headers().getAll(HttpHeaders.TRANSFER_ENCODING)) {
      if (!coding.equals("chunked")) {
        throw Problem.badRequest("Transfer-Encoding must be chunked alone").asException();
      }
    }
    rc.next();
  }

  /**
   * Through the upstream's circuit breaker: a failure of the upstream's own counts against it (no replica
   * reachable, the connection reset or closed by the replica, no answer in time, a 5xx from it); while the breaker
   * is open the gateway answers 503 at once, sparing a service that is down. What clients do does not count: one
   * that hangs up, or sends its body so slowly that the replica times out on it or answers 5xx before having it.
   */
  private void forward(RoutingContext rc, Upstream upstream, HttpProxy proxy, CircuitBreaker breaker) {
    if (!upstream.enter(maxInFlightPerService)) {
      throw busy(upstream, "it has as many requests in flight from this gateway instance as it may take ("
        + maxInFlightPerService + ", gateway.maxInFlightPerService)");
    }
    rc.addEndHandler(ended -> upstream.leave());
    HttpServerRequest request = rc.request();
    request.pause(); // the proxy reads the body once the replica is connected
    Forwarding f = new Forwarding(upstream, IDEMPOTENT.contains(request.method()), RequestIds.get(rc),
      timeoutMs.get(upstream.name()), poolWaitMs,
      ForwardedPath.of(rc.normalizedPath(), "/api/" + upstream.name(), request.query()), access.clients().of(rc));
    breaker.<Void>execute(outcome -> {
      long started = System.nanoTime();
      rc.addEndHandler(ended -> {
        forwarding.remove(request);
        Replica answering = f.end();
        requestTimer(upstream.name(), answering == null ? "none" : answering.address(),
          ended.succeeded() ? rc.response().getStatusCode() / 100 + "xx" : "reset")
          .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (f.upstreamFailed) {
          long now = System.nanoTime();
          if (answering != null) {
            answering.failed(ejectAfter, ejectForNanos, now);
          }
          // One replica failing is for its ejection to handle; the breaker is for the service failing as a whole,
          // and opened by one dead replica it would refuse the requests the others are there to serve.
          if (upstream.anotherAvailable(answering, now)) {
            outcome.tryComplete();
          } else {
            outcome.tryFail(upstream.name() + " failed");
          }
        } else {
          if (answering != null && ended.succeeded() && !f.clientsDoing) {
            answering.succeeded();
          }
          outcome.tryComplete(); // a client's doing is no failure of the upstream, nor proof of its health
        }
      });
      f.connect(client, this::unreachable).onComplete(ar -> {
        if (ar.failed() && ar.cause() instanceof TimeoutException) { // the gateway's own queue: not counted
          rc.fail(busy(upstream, "no connection to it came free within " + poolWaitMs + " ms (gateway.poolWait)"));
          return;
        }
        if (ar.failed()) {
          f.upstreamFailed = true; // each replica tried was counted as it failed; this counts for the breaker
          rc.fail(Problem.of(502, "bad-gateway", "Bad gateway")
            .detail("No replica of " + upstream.name() + " could be reached").asException());
          return;
        }
        f.origin = ar.result();
        forwarding.put(request, f);
        proxy.handle(request);
      });
    }).onFailure(err -> {
      if (err instanceof OpenCircuitException) {
        request.resume();
        rc.fail(Problem.unavailable("upstream-unavailable", "Service unavailable", upstream.name()
          + " failed too often just now; the gateway stops sending it requests for a while", retryAfterSeconds)
          .asException());
      }
    });
  }

  private dev.surge.http.ProblemException busy(Upstream upstream, String why) {
    busy.get(upstream.name()).increment();
    return Problem.unavailable("upstream-busy", "Service busy", upstream.name() + " is busy: " + why
      + "; retry later", busyRetryAfterSeconds).asException();
  }

  /** Looked up in a map of this instance's own, not built and registered again for every request. */
  private Timer requestTimer(String upstream, String replica, String status) {
    return requestTimers.computeIfAbsent(upstream + ' ' + replica + ' ' + status, k -> Timer
      .builder("surge_gateway_requests")
      .description("Requests proxied, by upstream, replica (none: none reached) and status class")
      .tags("upstream", upstream, "replica", replica, "status", status)
      .register(registry));
  }

  private void unreachable(Replica replica) {
    replica.failed(ejectAfter, ejectForNanos, System.nanoTime());
  }

  /** One request's way to a replica: which it tried, which has it now. */
  private static final class Forwarding {
    final Upstream upstream;
    final boolean idempotent;
    final String requestId;
    final long timeoutMs;
    final long poolWaitMs;
    /** The path and query the replica is sent: the path routed on, not the one received. */
    final String uri;
    /** The client as the gateway resolved it, passed on as the only X-Forwarded-For. */
    final String client;
    final Set<Replica> tried = new HashSet<>();
    Replica current;
    HttpClientRequest origin;
    /** The upstream failed this request (see {@link #forward}): counts against the replica and the breaker. */
    boolean upstreamFailed;
    /** A 5xx or a timeout that the client's unfinished body brought about: counts neither way. */
    boolean clientsDoing;

    Forwarding(Upstream upstream, boolean idempotent, String requestId, long timeoutMs, long poolWaitMs, String uri,
               String client) {
      this.upstream = upstream;
      this.idempotent = idempotent;
      this.requestId = requestId;
      this.timeoutMs = timeoutMs;
      this.poolWaitMs = poolWaitMs;
      this.uri = uri;
      this.client = client;
    }

    Future<HttpClientRequest> connect(HttpClient client, java.util.function.Consumer<Replica> unreachable) {
      Replica replica = upstream.take(tried);
      if (replica == null) {
        return Future.failedFuture("no replica left");
      }
      tried.add(replica);
      current = replica;
      // The connect timeout of a request is how long it may wait for a connection from the pool.
      return client.request(new RequestOptions().setServer(replica.socket()).setConnectTimeout(poolWaitMs)
          .setHost(replica.socket().host()).setPort(replica.socket().port()))
        .map(origin -> {
          replica.uses(origin.connection());
          origin.putHeader(RequestIds.HEADER, requestId);
          origin.idleTimeout(timeoutMs);
          // Its failures are answered through the proxy's futures; unhandled, Vert.x would log each as an ERROR,
          // a client hanging up mid-body among them: a line any client could write at will.
          origin.exceptionHandler(err -> LOG.debug("Request {} to {} ended early: {}", requestId, replica.address(),
            err.toString()));
          return origin;
        })
        .recover(err -> {
          end();
          if (err instanceof TimeoutException) { // no connection free in time: the replica is busy, not down
            // Another replica may have one free: an idempotent request tries it, as it would a refused connect.
            return idempotent && tried.size() < upstream.replicas().size() ? connect(client, unreachable)
              : Future.failedFuture(err);
          }
          unreachable.accept(replica);
          return idempotent && tried.size() < upstream.replicas().size() ? connect(client, unreachable)
            : Future.failedFuture(err);
        });
    }

    /** The request is over with its replica: the one that had it, if any. */
    Replica end() {
      Replica had = current;
      if (current != null) {
        upstream.done(current);
        current = null;
      }
      return had;
    }
  }

  /**
   * The {@code /api/<service>} prefix: taken off the request's path, put back on the links the answer gives. A
   * replica that fails to answer in time is a 504 problem, one that breaks off a 502, instead of the proxy's bare
   * status.
   */
  private final class Prefix implements ProxyInterceptor {

    private final String prefix;

    Prefix(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
      HttpServerRequest inbound = context.request().proxiedRequest();
      Forwarding f = forwarding.get(inbound);
      context.set(FORWARDING, f); // the client may hang up, and its entry go, before the replica answers
      context.request().setURI(f.uri);
      // The service sees who the client is (for its own per-client limits, if it trusts the gateway), never a chain
      // the client wrote.
      context.request().headers().set(ClientAddresses.X_FORWARDED_FOR, f.client).remove(ClientAddresses.FORWARDED)
        // The key the gateway checked is the gateway's: an operator's, sent by the console with every call, would
        // otherwise reach every replica.
        .remove(HttpHeaders.AUTHORIZATION);
      // The trace the replica joins is the gateway's span's, with the gateway's decision to keep it (the tracer
      // writes it as the request goes), or none when the gateway traces nothing: never the client's own header
      // passed through, which would let a client choose the trace its request goes in and have it traced at will.
      context.request().headers().remove(TRACEPARENT).remove(TRACESTATE);
      // A request without a body is sent as a head alone, so it can be sent again: the proxy would otherwise pipe
      // the client's request into the replica's, which can be done once.
      boolean resendable = f.idempotent && !hasBody(inbound);
      if (resendable) {
        context.request().setBody(null);
        inbound.resume();
      }
      return sendOnceMore(context, f, inbound, resendable, context.sendRequest());
    }

    /**
     * What the replica answered; else, when it broke the request off (a replica killed with requests on its
     * connections sends no answer, at best a reset) and the request is idempotent and without a body, the same
     * request sent to another replica, as a proxy's next-upstream rule does (RFC 9110 §9.2.2 lets a client send
     * such a request again): else a 502 or 504 problem.
     */
    private Future<ProxyResponse> sendOnceMore(ProxyContext context, Forwarding f, HttpServerRequest inbound,
                                               boolean resendable, Future<ProxyResponse> sent) {
      return sent.recover(err -> {
        boolean timedOut = err instanceof TimeoutException || err.getCause() instanceof TimeoutException
          || String.valueOf(err.getMessage()).contains("timeout");
        if (resendable && !timedOut && !inbound.response().closed()
          && f.tried.size() < f.upstream.replicas().size()) {
          Replica brokeOff = f.end();
          if (brokeOff != null) {
            brokeOff.failed(ejectAfter, ejectForNanos, System.nanoTime());
          }
          return f.connect(client, ApiProxy.this::unreachable).compose(origin -> {
            f.origin = origin;
            return sendOnceMore(context, f, inbound, true, context.request().send(origin));
          }, unreached -> problem(context, f, inbound, false));
        }
        return problem(context, f, inbound, timedOut);
      });
    }

    private Future<ProxyResponse> problem(ProxyContext context, Forwarding f, HttpServerRequest inbound,
                                          boolean timedOut) {
      // A client that hung up took the request down with it (the proxy resets the replica's request then); a
      // replica waiting for the rest of a body that is not coming in is not one that failed to answer.
      if (!inbound.response().closed() && (!timedOut || inbound.isEnded())) {
        f.upstreamFailed = true;
      } else {
        f.clientsDoing = true;
      }
      Problem problem = timedOut
        ? Problem.of(504, "gateway-timeout", "Gateway timeout")
          .detail(f.upstream.name() + " did not answer within " + f.timeoutMs + " ms")
        : Problem.of(502, "bad-gateway", "Bad gateway").detail(f.upstream.name() + " broke off the request");
      ProxyResponse response = context.request().response().setStatusCode(problem.status());
      response.setBody(Body.body(problem.toJson(f.requestId, inbound.path()).toBuffer(), PROBLEM_MEDIA_TYPE));
      return Future.succeededFuture(response);
    }

    private static boolean hasBody(HttpServerRequest request) {
      String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
      return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !length.equals("0"));
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
      HttpClientResponse answer = context.response().proxiedResponse();
      if (answer != null) { // the replica's answer, not the gateway's own problem
        HttpServerRequest inbound = context.request().proxiedRequest();
        Forwarding f = context.get(FORWARDING, Forwarding.class);
        if (answer.statusCode() >= 500 && !considered(answer)) {
          f.upstreamFailed = inbound.isEnded(); // else it answered a body still on its way: maybe too slow
          f.clientsDoing = !inbound.isEnded();
        }
        answer.end().onFailure(err -> { // broken off mid-answer: by the replica, unless the client hung up first
          if (!inbound.response().closed()) {
            f.upstreamFailed = true;
          }
        });
      }
      MultiMap headers = context.response().headers();
      String location = headers.get("Location");
      if (location != null && location.startsWith("/")) {
        headers.set("Location", prefix + location);
      }
      String link = headers.get("Link");
      if (link != null) {
        headers.set("Link", link.replace("</", "<" + prefix + "/"));
      }
      headers.remove(RequestIds.HEADER); // the gateway's own is already on the response, and the same
      String type = headers.get("Content-Type");
      Body body = context.response().getBody();
      if (type == null || !type.startsWith("application/json") || body == null || body.length() < 0
        || body.length() > MAX_REWRITTEN_BODY) {
        return context.sendResponse();
      }
      // A page of a list names its next page in the body too: small (a page), so read whole and rewritten.
      Promise<Buffer> read = Promise.promise();
      Buffer whole = Buffer.buffer((int) body.length());
      body.stream().handler(whole::appendBuffer).exceptionHandler(read::tryFail).endHandler(v -> read.tryComplete(whole));
      body.stream().resume();
      return read.future().compose(buffer -> {
        context.response().setBody(Body.body(withNextUnderPrefix(buffer), MediaType.parse(type)));
        return context.sendResponse();
      });
    }

    /**
     * A 503 with {@code Retry-After} is the service's considered answer (full, draining, a dependency of its own
     * down), with its advice to the client passed on: not a failure of the service's, which would have the breaker
     * refuse the requests it can still serve (orders whose catalog answers half the time, all refused for a while).
     * So is a 504 with {@code Retry-After}: orders' {@code outcome-unknown}, its database slow, itself answering.
     */
    private boolean considered(HttpClientResponse answer) {
      return (answer.statusCode() == 503 || answer.statusCode() == 504)
        && answer.getHeader(HttpHeaders.RETRY_AFTER) != null;
    }

    private Buffer withNextUnderPrefix(Buffer json) {
      try {
        Object parsed = Json.decodeValue(json);
        if (parsed instanceof JsonObject page && page.getValue("next") instanceof String next && next.startsWith("/")) {
          return page.put("next", prefix + next).toBuffer();
        }
      } catch (RuntimeException notJson) {
        // passed on as it came
      }
      return json;
    }
  }
}
