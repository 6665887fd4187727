package dev.surge.http;

import io.netty.channel.ChannelException;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Turns every failure into a problem: unknown routes 404, wrong methods 405 with {@code Allow}, the body limit
 * 413, a request timeout 503 with {@code Retry-After}, a database or cache connection failing 503 with
 * {@code Retry-After} (whatever the transport throws), and anything
 * unexpected 500 with no stack trace, class name or SQL text in the response (those go to the log, with the
 * request id).
 */
public final class Failures {

  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);
  /**
   * The status the request timeout fails a request past its deadline with (HttpServerVerticle's handlers), answered
   * here as the {@code request-timeout} problem.
   */
  static final int TIMED_OUT = 503;
  /** How deep the chain of causes is searched: bounded, as a chain may loop. */
  private static final int MAX_CAUSES = 16;
  /** The components' own words for a backing service that cannot serve now ({@link #unavailableWhen}). */
  private static final List<Predicate<Throwable>> UNAVAILABLE = new CopyOnWriteArrayList<>();
  /**
   * How Vert.x's clients word a connection or pool gone, in plain VertxExceptions: the SQL client (a pool with no
   * connection within pg.connectionTimeout: "Timeout waiting for connection" for a query, a bare "Timeout" for a
   * connection taken for a transaction; a connection closed under a query), the Redis client, core's pools.
   */
  private static final List<String> CONNECTION_WORDING = List.of("Timeout",
    "Connection is not active now", "Pending requests failed to be sent due to connection has been closed",
    "Connection is closed", "Connection was closed", "Connection closed", "Pool closed", "Client is closed");

  private final Router router;
  private final long retryAfterSeconds;

  public Failures(Router router, long retryAfterSeconds) {
    this.router = router;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * Teaches every service of the process a backing service's words for "cannot serve now" (PostgreSQL's SQL
   * states, Redis's error kinds): a failure with such a cause is a 503 with {@code Retry-After}, not a 500. A
   * component does, as it starts; the same test twice counts once.
   */
  public static void unavailableWhen(Predicate<Throwable> test) {
    if (!UNAVAILABLE.contains(test)) {
      UNAVAILABLE.add(test);
    }
  }

  /** Installs the 400, 404, 405 and failure handlers on the router. */
  public void install() {
    // Vert.x Web answers 400 itself when decoding the path or query throws while it matches routes; without a
    // handler of ours that is a bare 400 and an ERROR with a stack trace per request.
    router.errorHandler(400, ctx -> badEncoding(ctx, ctx.failure()));
    router.errorHandler(404, ctx -> Problem.notFound("No resource at " + ctx.request().path()).send(ctx));
    router.errorHandler(405, this::methodNotAllowed);
    router.route().failureHandler(this::handleFailure);
  }

  /**
   * Whether the failure says PostgreSQL, Redis or another backing service is down, overloaded or unreachable,
   * rather than a bug, wherever in the chain of causes it is:
   * <ul>
   *   <li>any {@link IOException} (refused, reset, closed, output shut down: {@code ConnectException},
   *   {@code ClosedChannelException}, {@code ChannelOutputShutdownException}, Netty's native {@code NativeIoException}
   *   on io_uring or epoll, {@code SocketException} on NIO) and Netty's unchecked {@link ChannelException};</li>
   *   <li>a pool full ({@link ConnectionPoolTooBusyException}) or a {@link TimeoutException};</li>
   *   <li>what the components taught it ({@link #unavailableWhen}): the SQL client's closed connection, a PostgreSQL
   *   connection-class (08), insufficient-resources (53) or shutdown (57P0x) SQL state (surge-pg); Redis busy,
   *   loading or without a master (surge-redis);</li>
   *   <li>the clients' own wording, in a plain {@link VertxException}, for a connection or pool that is closed or
   *   gives no connection in time.</li>
   * </ul>
   */
  static boolean backingServiceUnavailable(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
      if (t instanceof IOException || t instanceof ChannelException || t instanceof TimeoutException
        || t instanceof ConnectionPoolTooBusyException) {
        return true;
      }
      Throwable cause = t;
      if (UNAVAILABLE.stream().anyMatch(test -> test.test(cause))) {
        return true;
      }
      if (t instanceof VertxException && t.getMessage() != null
        && CONNECTION_WORDING.stream().anyMatch(t.getMessage()::startsWith)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A step before the routes, for what Vert.x lets through but cannot route or RFC 9112 refuses: a request
   * target whose percent-encoding is broken ({@code /products/%}, {@code /%zz}, {@code ?q=%}), found here before
   * Vert.x Web decodes it while matching routes or a handler reads the query (which would throw, a 500); and more
   * than one {@code Host} (RFC 9112 §3.2: 400). Both are the client's error, a 400 problem.
   */
  static boolean wellFormed(RoutingContext ctx) {
    if (ctx.request().uri().indexOf('%') >= 0) {
      try {
        ctx.normalizedPath();
        ctx.request().params();
        ctx.queryParams();
      } catch (IllegalArgumentException e) {
        badEncoding(ctx, e);
        return false;
      }
    }
    if (ctx.request().headers().getAll(HttpHeaders.HOST).size() > 1) {
      Problem.badRequest("The request has more than one Host header").send(ctx);
      return false;
    }
    return true;
  }

  /** The client's mistake, so at debug only: logged at a higher level, a client could fill the logs with it. */
  private static void badEncoding(RoutingContext ctx, Throwable cause) {
    LOG.debug("Bad percent-encoding in the request target of {} rid={}: {}", ctx.request().method(),
      RequestIds.get(ctx), cause == null ? null : cause.getClass().getSimpleName());
    Problem.badRequest("The request target is not validly percent-encoded").send(ctx);
  }

  private void methodNotAllowed(RoutingContext ctx) {
    Set<String> allowed = RouteTemplates.allowedMethods(router, ctx.request().path());
    Problem problem = Problem.of(405, "method-not-allowed", "Method not allowed")
      .detail(ctx.request().method().name() + " is not allowed on " + ctx.request().path());
    if (!allowed.isEmpty()) {
      problem.header("Allow", String.join(", ", allowed));
    }
    problem.send(ctx);
  }

  private void handleFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ProblemException pe) {
      pe.problem().send(ctx);
      return;
    }
    int status = ctx.statusCode();
    if (failure instanceof HttpException he) {
      status = he.getStatusCode();
    }
    switch (status) {
      case 400 -> Problem.badRequest(failure instanceof HttpException he && he.getPayload() != null
        ? he.getPayload() : "The request cannot be read").send(ctx);
      case 404 -> Problem.notFound("No resource at " + ctx.request().path()).send(ctx);
      case 405 -> methodNotAllowed(ctx);
      case 413 -> Problem.of(413, "payload-too-large", "Request body too large")
        .detail("The request body exceeds the limit").header("Connection", "close").send(ctx);
      case 415 -> Problem.unsupportedMediaType().send(ctx);
      case TIMED_OUT -> Problem.unavailable("request-timeout", "Request timed out",
        "The request was not answered in time; retry later", retryAfterSeconds).send(ctx);
      default -> {
        if ((status < 400 || status == 500) && backingServiceUnavailable(failure)) {
          LOG.warn("A backing service is unavailable on {} {} rid={}: {}", ctx.request().method(),
            ctx.request().path(), RequestIds.get(ctx), failure.getMessage());
          Problem.unavailable("dependency-unavailable", "Service unavailable",
            "A service this one depends on did not answer; retry later", retryAfterSeconds).send(ctx);
        } else if (status >= 400 && status < 500) {
          Problem.of(status, "client-error", "Client error").send(ctx);
        } else {
          LOG.error("Unhandled failure on {} {} rid={}", ctx.request().method(), ctx.request().path(),
            RequestIds.get(ctx), failure);
          Problem.of(500, "internal-error", "Internal server error")
            .detail("The request failed; quote the request id when reporting it").send(ctx);
        }
      }
    }
  }
}
