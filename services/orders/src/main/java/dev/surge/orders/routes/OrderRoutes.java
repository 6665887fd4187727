package dev.surge.orders.routes;

import dev.surge.HttpApi;
import dev.surge.ServiceContext;
import dev.surge.http.JsonInput;
import dev.surge.http.Problem;
import dev.surge.http.RequestIds;
import dev.surge.http.Requests;
import dev.surge.orders.orders.Order;
import dev.surge.orders.orders.OrderRepository;
import dev.surge.orders.placement.OrderRequest;
import dev.surge.orders.placement.PlaceOrder;
import dev.surge.orders.placement.PlacementOutcome;
import dev.surge.orders.placement.PlacementOutcome.InProgress;
import dev.surge.orders.placement.PlacementOutcome.KeyReused;
import dev.surge.orders.placement.PlacementOutcome.Placed;
import dev.surge.orders.placement.PlacementOutcome.Refused;
import dev.surge.orders.placement.PlacementOutcome.Replayed;
import dev.surge.orders.placement.PlacementOutcome.Unavailable;
import dev.surge.orders.placement.PlacementOutcome.Unknown;
import dev.surge.orders.placement.PlacementOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The orders API:
 * <pre>
 *   POST /orders                 Idempotency-Key required; 201 with Location; a line refused 409; catalog down or
 *                                not stored in time 503; its database silent with the order on its way 504
 *   GET  /orders/{id}
 *   GET  /orders?customerId=&limit=&cursor=   newest first, with a next link
 *   POST /orders/{id}/cancel     a pending or confirmed order is cancelled and its stock given back; again: 200
 * </pre>
 */
public final class OrderRoutes implements HttpApi {

  public static final int DEFAULT_PAGE_SIZE = 20;
  public static final int MAX_PAGE_SIZE = 100;
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
  private static final String CURSOR_PREFIX = "before:";

  private final PlaceOrder placement;
  private final OrderRepository orders;
  private final int maxLines;

  /** @param maxLines most lines in one order ({@code orders.maxLines}) */
  public OrderRoutes(ServiceContext context, PlacementOptions placement, int maxLines) {
    this.placement = new PlaceOrder(context, placement);
    this.orders = new OrderRepository(context, placement.recordsEvents());
    this.maxLines = maxLines;
  }

  @Override
  public void routes(Router router) {
    router.post("/orders").handler(this::place);
    router.get("/orders").handler(this::list);
    router.get("/orders/:id").handler(this::get);
    router.post("/orders/:id/cancel").handler(this::cancel);
  }

  private void place(RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key == null || !KEY.matcher(key).matches()) {
      throw Problem.of(400, "idempotency-key-required", "Idempotency-Key required")
        .detail("Send an Idempotency-Key header of 1 to 255 visible ASCII characters, unique to this order, "
          + "and the same one when you retry it").asException();
    }
    OrderRequest request = OrderRequest.read(JsonInput.body(ctx), maxLines);
    placement.place(key, request, RequestIds.get(ctx), Requests.deadlineNanos(ctx)).onSuccess(outcome -> {
      if (!Requests.writable(ctx)) {
        return;
      }
      PlacementOutcome answered = outcome instanceof Replayed replayed ? replayed.first() : outcome;
      if (answered instanceof Placed placed) {
        ctx.response().setStatusCode(201).putHeader("Location", "/orders/" + placed.id());
        ctx.json(placed.order());
        return;
      }
      problem(answered).send(ctx);
    }).onFailure(ctx::fail);
  }

  /** Every outcome but a placed order, as its problem; a retry's is the first answer's, with its request id. */
  private static Problem problem(PlacementOutcome outcome) {
    return switch (outcome) {
      case Refused refused -> {
        Problem problem = Problem.of(409, refused.reason(), "A line cannot be ordered")
          .detail("Line " + refused.line() + " (product " + refused.ordered().productId() + ", quantity "
            + refused.ordered().quantity() + "): " + refused.detail())
          .extension("line", refused.line()).extension("productId", refused.ordered().productId())
          .extension("reason", refused.reason()).requestId(refused.requestId());
        yield refused.remaining() == null ? problem : problem.extension("remaining", refused.remaining());
      }
      case Unavailable unavailable -> switch (unavailable.cause()) {
        case CATALOG_UNAVAILABLE -> Problem.unavailable("catalog-unavailable", "Catalog unavailable",
          "The catalog did not confirm the stock in time; nothing was ordered, send the request again", 1);
        case EXPIRED -> Problem.unavailable("request-expired", "Request expired",
          "The order took too long to be stored and its stock was given back; send the request again", 1);
        case ENDED_UNANSWERED -> Problem.unavailable("request-in-progress", "Try again",
          "A request with this Idempotency-Key has just ended unanswered; send it again", 1);
        case TIMED_OUT -> Problem.unavailable("not-stored-in-time", "Order not stored in time",
          "The order could not be stored in time; nothing was ordered, send the request again", 1);
      };
      case Unknown unknown -> Problem.of(504, "outcome-unknown", "Outcome unknown")
        .detail("The database did not confirm the order in time: it may have been placed. Send the request again "
          + "with the same Idempotency-Key to learn whether it was")
        .header("Retry-After", "1");
      case InProgress inProgress -> Problem.of(409, "request-in-progress", "Request in progress")
        .detail("A request with this Idempotency-Key is still being placed; retry shortly")
        .header("Retry-After", "1");
      case KeyReused reused -> Problem.of(422, "idempotency-key-reused", "Idempotency-Key reused")
        .detail("This Idempotency-Key was used for a different order; use a new key for a new order");
      case Placed placed -> throw new IllegalArgumentException("A placed order is no problem");
      case Replayed replayed -> problem(replayed.first());
    };
  }

  private void get(RoutingContext ctx) {
    UUID id = id(ctx);
    orders.get(id).onSuccess(order -> {
      if (!Requests.writable(ctx)) {
        return;
      }
      if (order == null) {
        Problem.notFound("No order with id " + id).send(ctx);
      } else {
        ctx.json(order.toJson());
      }
    }).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    JsonInput filters = JsonInput.of(new JsonObject().put("customerId", ctx.queryParams().get("customerId")));
    String customerId = filters.string("customerId", false, 1, OrderRequest.MAX_CUSTOMER_ID, null, null);
    int limit = Requests.limit(ctx, filters, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    Long before = Requests.cursor(ctx, filters, CURSOR_PREFIX);
    filters.validate();
    orders.list(customerId, before, limit + 1).onSuccess(page -> {
      if (!Requests.writable(ctx)) {
        return;
      }
      List<Order> items = page.size() > limit ? page.subList(0, limit) : page;
      JsonArray array = new JsonArray();
      items.forEach(o -> array.add(o.toJson()));
      JsonObject body = new JsonObject().put("items", array);
      if (page.size() > limit) {
        String next = "/orders?limit=" + limit
          + (customerId == null ? "" : "&customerId=" + URLEncoder.encode(customerId, StandardCharsets.UTF_8))
          + "&cursor=" + Requests.encodeCursor(CURSOR_PREFIX, items.getLast().seq());
        body.put("next", next);
      } else {
        body.putNull("next");
      }
      ctx.json(body);
    }).onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    UUID id = id(ctx);
    orders.cancel(id).compose(cancelled -> cancelled != null ? io.vertx.core.Future.succeededFuture(cancelled)
        : orders.get(id))
      .onSuccess(order -> {
        if (!Requests.writable(ctx)) {
          return;
        }
        if (order == null) {
          Problem.notFound("No order with id " + id).send(ctx);
        } else {
          ctx.json(order.toJson()); // cancelled now, or already: cancelling twice is harmless
        }
      }).onFailure(ctx::fail);
  }

  private static UUID id(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw Problem.validation().detail("The order id must be a UUID")
        .fieldError("id", "must be a UUID").asException();
    }
  }
}
