package dev.surge.orders.placement;

import dev.surge.ServiceContext;
import dev.surge.catalog.api.StockApi;
import dev.surge.jobs.JobRequest;
import dev.surge.orders.orders.KeyedBatches;
import dev.surge.orders.orders.Order;
import dev.surge.orders.orders.OrderRepository;
import dev.surge.orders.orders.OrderRequests;
import dev.surge.orders.placement.PlacementOutcome.InProgress;
import dev.surge.orders.placement.PlacementOutcome.KeyReused;
import dev.surge.orders.placement.PlacementOutcome.Placed;
import dev.surge.orders.placement.PlacementOutcome.Refused;
import dev.surge.orders.placement.PlacementOutcome.Replayed;
import dev.surge.orders.placement.PlacementOutcome.Unavailable;
import dev.surge.orders.placement.PlacementOutcome.Unknown;
import dev.surge.pg.Postgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Placing an order, start to end:
 * <ol>
 *   <li>store the request under its idempotency key, as reserving (a key seen before replays its answer);</li>
 *   <li>reserve every line from the catalog over the event bus, at once, each within {@code orders.catalogTimeout};</li>
 *   <li>all reserved: in one transaction store the order as pending, the request's answer and the
 *       {@code order.fulfil} job, then publish {@code orders.placed}: {@link Placed};</li>
 *   <li>a line refused: store the refusal as the request's answer and, in the same transaction, the job that gives
 *       the other lines' stock back (and marks a refused line asked for more than once): {@link Refused};</li>
 *   <li>the catalog not answering: drop the request (a retry may do better) and schedule every line's release,
 *       since a reserve may still land: {@link Unavailable}.</li>
 * </ol>
 * Every request is stored in {@link OrderRequests}, the idempotency store, before its answer goes out.
 *
 * <p>Every request is answered {@link PlacementOptions#answerMargin()} before the chassis would time it out, and
 * its answer stays true: a write still waiting for its connection then is dropped unsent, so a request answered
 * {@link Unavailable.Cause#TIMED_OUT} orders nothing, later either; one whose order was on its way to the database
 * is answered {@link Unknown}, and the same request sent again learns the outcome. An order whose transaction
 * broke off on its way is looked up: stored, it is {@link Placed}; else written again while there is time
 * ({@link #settle}).
 */
public final class PlaceOrder {

  public static final String PLACED_ADDRESS = "orders.placed";
  private static final Logger LOG = LoggerFactory.getLogger(PlaceOrder.class);

  private final Vertx vertx;
  private final OrderRepository orders;
  private static final long MIN_ATTEMPT_MS = 100;
  private static final long RETRY_PAUSE_MS = 20;
  /** A reservation unanswered for this share of orders.catalogTimeout (1/4) is asked again... */
  private static final long FIRST_ATTEMPT_SHARE = 4;
  /** ...and again each time this share of the time left (1/2) goes by unanswered. */
  private static final long LATER_ATTEMPT_SHARE = 2;
  /** Copies of each repeated attempt, sent back to back: two replicas (see {@link #reserveLine}). */
  private static final int COPIES_OF_A_REPEAT = 2;
  /** How long to wait before asking again whether an order whose transaction broke off was stored. */
  private static final long SETTLE_PAUSE_MS = 200;
  /** The same, once the request is answered: a client's retry may wait a second more, PostgreSQL coming back less. */
  private static final long SETTLE_PAUSE_AFTER_ANSWER_MS = 1_000;
  /** How long after its answer an unsettled order is still looked after; then the sweeper's. */
  private static final long SETTLE_AFTER_MS = 30_000;
  /** How many times an order whose transaction broke off is written again. */
  private static final int MAX_RESTORES = 2;
  private final long catalogTimeoutNanos;
  private final long answerMarginNanos;
  private final Counter placed;
  private final Counter rejected;
  private final Counter unavailable;
  private final Counter replayed;
  private final Counter unknown;
  private final SoldOut soldOut;
  private final OrderRequests requests;
  private final KeyedBatches<OrderRepository.Placement> placements;

  public PlaceOrder(ServiceContext context, PlacementOptions options) {
    this.vertx = context.vertx();
    this.orders = new OrderRepository(context, options.recordsEvents());
    this.catalogTimeoutNanos = options.catalogTimeout().toNanos();
    this.answerMarginNanos = options.answerMargin().toNanos();
    this.requests = orders.requests();
    this.placements = new KeyedBatches<>(2, OrderRepository.Placement::key, orders::placeAll);
    long soldOutMemoryNanos = options.soldOutMemory().toNanos();
    this.soldOut = context.shared(SoldOut.class, () -> new SoldOut(soldOutMemoryNanos, catalogTimeoutNanos));
    MeterRegistry registry = context.registry();
    this.placed = counter(registry, "placed");
    this.rejected = counter(registry, "rejected");
    this.unavailable = counter(registry, "unavailable");
    this.replayed = counter(registry, "replayed");
    this.unknown = counter(registry, "unknown");
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("surge_orders").tag("outcome", outcome)
      .description("Order requests by outcome: placed, rejected (a line refused), unavailable, replayed, unknown "
        + "(answered before the database confirmed the order on its way)")
      .register(registry);
  }

  /** One request being placed: when it must be answered, and whether its order is on its way to the database. */
  private static final class Attempt {
    final long deadline;
    /** Its order taken into a transaction: from then on, the answer at the deadline is {@link Unknown}. */
    boolean storing;
    int restores;
    long timer;

    Attempt(long deadline) {
      this.deadline = deadline;
    }

    boolean late() {
      return System.nanoTime() - deadline >= 0;
    }
  }

  /**
   * @param requestId         the request's id, kept with a refusal: a retry's answer carries it again
   * @param requestDeadline   when the chassis would answer the request 503 {@code request-timeout}
   *                          ({@code Requests.deadlineNanos}): the placement answers {@code answerMargin} before
   */
  public Future<PlacementOutcome> place(String key, OrderRequest request, String requestId, long requestDeadline) {
    Attempt attempt = new Attempt(requestDeadline == Long.MAX_VALUE // no request timeout: a day, as good as none
      ? System.nanoTime() + java.util.concurrent.TimeUnit.DAYS.toNanos(1) : requestDeadline - answerMarginNanos);
    Promise<PlacementOutcome> answer = Promise.promise();
    answerAtDeadline(attempt, answer);
    decide(attempt, key, request, requestId).onComplete(ar -> {
      vertx.cancelTimer(attempt.timer);
      if (ar.succeeded()) {
        answer.tryComplete(ar.result());
      } else if (ar.cause() instanceof KeyedBatches.NotWritten notWritten && notWritten.late()) {
        // Its claim (or its refusal) found past the deadline before it was sent, ahead of the deadline's own timer
        // (the body came late, or the event loop was held up past both): nothing stored, the timer's answer.
        answer.tryComplete(timedOut(attempt));
      } else {
        answer.tryFail(ar.cause());
      }
    });
    return answer.future().onSuccess(this::count);
  }

  /**
   * Answers at the deadline, not a moment before: a write taken into a transaction until then (on this event loop,
   * as this timer) has set {@code storing}, and none is taken after ({@link KeyedBatches} drops it, late).
   */
  private void answerAtDeadline(Attempt attempt, Promise<PlacementOutcome> answer) {
    long leftMs = Math.max(1, (attempt.deadline - System.nanoTime() + 999_999) / 1_000_000);
    attempt.timer = vertx.setTimer(leftMs, id -> {
      if (attempt.late()) {
        answer.tryComplete(timedOut(attempt));
      } else {
        answerAtDeadline(attempt, answer);
      }
    });
  }

  /** The answer at the deadline: its order may be on its way to the database, or nothing was ordered. */
  private static PlacementOutcome timedOut(Attempt attempt) {
    return attempt.storing ? new Unknown() : new Unavailable(Unavailable.Cause.TIMED_OUT);
  }

  private void count(PlacementOutcome outcome) {
    switch (outcome) {
      case Placed p -> placed.increment();
      case Refused r -> rejected.increment();
      case Unavailable u -> unavailable.increment();
      case Unknown u -> unknown.increment();
      case Replayed r -> replayed.increment();
      case InProgress i -> { }
      case KeyReused k -> { }
    }
  }

  private Future<PlacementOutcome> decide(Attempt attempt, String key, OrderRequest request, String requestId) {
    String hash = request.hash();
    int goneLine = soldOut.firstSoldOut(request);
    if (goneLine >= 0) {
      return requests.refuseFromMemory(key, hash, goneLine, requestId, attempt.deadline).compose(stored -> {
        if (!stored) {
          return replay(key, hash, request);
        }
        return Future.succeededFuture(refusedFromMemory(request, goneLine, requestId));
      });
    }
    UUID orderId = UUID.randomUUID();
    JsonArray lines = new JsonArray();
    for (int i = 0; i < request.lines().size(); i++) {
      OrderRequest.Line line = request.lines().get(i);
      lines.add(new JsonObject().put("productId", line.productId()).put("quantity", line.quantity())
        .put("reservationId", orderId + "/" + i));
    }
    Set<Integer> askedAgain = ConcurrentHashMap.newKeySet();
    return requests.claim(key, hash, orderId, lines, attempt.deadline).compose(claimed -> !claimed
      ? replay(key, hash, request)
      : reserve(lines, askedAgain).compose(outcomes -> decide(attempt, key, orderId, request, lines, outcomes,
        askedAgain, requestId)));
  }

  /** A request refused from memory: told the same way when first answered and when replayed. */
  private static Refused refusedFromMemory(OrderRequest request, int goneLine, String requestId) {
    OrderRequest.Line line = request.lines().get(goneLine);
    return new Refused(goneLine, line, StockApi.Failure.INSUFFICIENT_STOCK.slug(), "0 left, " + line.quantity() + " asked",
      0, requestId);
  }

  private Future<PlacementOutcome> replay(String key, String hash, OrderRequest request) {
    return requests.find(key).map(stored -> {
      if (stored == null) { // answered 503 and dropped between our two statements: let the client retry
        return new Unavailable(Unavailable.Cause.ENDED_UNANSWERED);
      }
      if (!stored.hash().equals(hash)) {
        return new KeyReused();
      }
      if (!stored.answered()) {
        return new InProgress();
      }
      OrderRequests.Refusal refusal = stored.refusal();
      if (refusal == null) {
        return new Replayed(new Placed(stored.placedOrder()));
      }
      // Same key, same hash: the same request, so the same line is refused with the same words.
      return new Replayed(refusal.reason() == null
        ? refusedFromMemory(request, refusal.line(), refusal.requestId())
        : new Refused(refusal.line(), request.lines().get(refusal.line()), refusal.reason(), refusal.detail(),
          refusal.remaining(), refusal.requestId()));
    });
  }

  /** Each line's reservation; the index of each line asked for more than once goes into {@code askedAgain}. */
  private Future<List<Future<Message<JsonObject>>>> reserve(JsonArray lines, Set<Integer> askedAgain) {
    long deadline = System.nanoTime() + catalogTimeoutNanos;
    List<Future<Message<JsonObject>>> calls = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      JsonObject line = lines.getJsonObject(i);
      int index = i;
      calls.add(reserveLine(StockApi.reserveRequest(line.getLong("productId"), line.getInteger("quantity"),
        line.getString("reservationId")), deadline, () -> askedAgain.add(index)));
    }
    return Future.join(calls).otherwiseEmpty().map(v -> calls);
  }

  /**
   * Asks again, until the deadline, while no catalog has answered: in a cluster, the replica a reservation went to
   * may have withdrawn its consumers before the others heard (its node drops what still comes, unanswered), been
   * cut off, or died with the request (no answer ever); until the cluster drops it (up to {@code cluster.failAfter})
   * the event bus keeps giving it its turn. So a reservation unanswered after a quarter of the time is asked again,
   * and again each time half of what is left goes by (four times in the default 2 s), while the earlier attempts
   * still wait for their answers: a catalog that is slow but alive is waited for to the deadline.
   *
   * <p>Each repeat goes out as two copies, back to back. Vert.x picks a node for each message in turn over the
   * nodes that consume the address, so two messages in a row go to two different replicas (when each runs as many
   * consumers, and no other event loop sends between the two: docs/RELIABILITY.md); with one replica out of reach,
   * one of the two reaches a live one. One copy per repeat was a coin toss for each: in a partition of one of
   * two replicas, seen in ops/compose-test.sh, an order now and then lost every toss in its 2 s and was answered
   * 503 (docs/RELIABILITY.md). The reservation id makes asking twice safe: the catalog answers a repeated
   * reservation as it did the first; the first answer is taken. Each copy carries its attempt in the
   * {@link StockApi#ATTEMPT} header.
   */
  private Future<Message<JsonObject>> reserveLine(JsonObject request, long deadline, Runnable onRepeat) {
    Promise<Message<JsonObject>> answer = Promise.promise();
    send(request, deadline, answer, 1);
    askAgainIfUnanswered(request, deadline, answer, 2, onRepeat);
    return answer.future();
  }

  private void askAgainIfUnanswered(JsonObject request, long deadline, Promise<Message<JsonObject>> answer,
                                    int attempt, Runnable onRepeat) {
    long leftMs = (deadline - System.nanoTime()) / 1_000_000;
    if (leftMs < 2 * MIN_ATTEMPT_MS) {
      return;
    }
    long share = attempt == 2 ? FIRST_ATTEMPT_SHARE : LATER_ATTEMPT_SHARE;
    vertx.setTimer(Math.max(MIN_ATTEMPT_MS, leftMs / share), id -> {
      if (!answer.future().isComplete()) {
        onRepeat.run();
        for (int copy = 0; copy < COPIES_OF_A_REPEAT; copy++) {
          send(request, deadline, answer, attempt);
        }
        askAgainIfUnanswered(request, deadline, answer, attempt + 1, onRepeat);
      }
    });
  }

  /** One request, waiting for its answer up to the deadline; sent again shortly while nobody consumes it. */
  private void send(JsonObject request, long deadline, Promise<Message<JsonObject>> answer, int attempt) {
    long leftMs = (deadline - System.nanoTime()) / 1_000_000;
    if (leftMs < 1) { // a timer late past the deadline: whatever is still out times out now too
      answer.tryFail(new ReplyException(ReplyFailure.TIMEOUT, "No catalog answered within orders.catalogTimeout"));
      return;
    }
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(leftMs)
      .addHeader(StockApi.ATTEMPT, Integer.toString(attempt));
    vertx.eventBus().<JsonObject>request(StockApi.RESERVE, request, delivery)
      .onComplete(ar -> {
        if (ar.succeeded()) {
          answer.tryComplete(ar.result());
        } else if (ar.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
          && deadline - System.nanoTime() > MIN_ATTEMPT_MS * 1_000_000) {
          vertx.setTimer(RETRY_PAUSE_MS, id -> {
            if (!answer.future().isComplete()) {
              send(request, deadline, answer, attempt);
            }
          });
        } else {
          answer.tryFail(ar.cause()); // a refusal, or the deadline
        }
      });
  }

  private Future<PlacementOutcome> decide(Attempt attempt, String key, UUID orderId, OrderRequest request,
                                          JsonArray lines, List<Future<Message<JsonObject>>> outcomes,
                                          Set<Integer> askedAgain, String requestId) {
    // What a refusal gives back: the lines reserved, and those refused after being asked again. The catalog stores
    // nothing for a refusal, so a copy of the request still queued there is judged afresh and may yet reserve (stock
    // back from a cancellation meanwhile) for a request answered 409: released, its reservation is marked, and the
    // copy is refused, or gives back what it took.
    JsonArray givenBack = new JsonArray();
    int refusedLine = -1;
    StockApi.Rejection refusal = null;
    boolean catalogUnavailable = false;
    for (int i = 0; i < outcomes.size(); i++) {
      Future<Message<JsonObject>> outcome = outcomes.get(i);
      long productId = request.lines().get(i).productId();
      if (outcome.succeeded()) {
        givenBack.add(lines.getJsonObject(i));
        if (Integer.valueOf(0).equals(outcome.result().body().getInteger("remaining"))) {
          soldOut.soldOut(productId);
        } else {
          soldOut.inStock(productId);
        }
        continue;
      }
      StockApi.Rejection rejection = StockApi.rejection(outcome.cause());
      if (rejection == null) {
        catalogUnavailable = true;
        LOG.debug("Reserving line {} of order request {} failed: {}", i, key, outcome.cause().toString());
        continue;
      }
      if (rejection.failure() == StockApi.Failure.INSUFFICIENT_STOCK && Integer.valueOf(0).equals(rejection.remaining())) {
        soldOut.soldOut(productId);
      }
      if (refusal == null) {
        refusal = rejection;
        refusedLine = i;
      }
      if (askedAgain.contains(i)) {
        givenBack.add(lines.getJsonObject(i));
      }
    }
    if (catalogUnavailable) {
      return giveBack(key, orderId, lines).map(new Unavailable(Unavailable.Cause.CATALOG_UNAVAILABLE));
    }
    if (refusal != null && attempt.late()) { // answered not-stored-in-time: nothing stored, a retry decided afresh
      return giveBack(key, orderId, lines).map(new Unavailable(Unavailable.Cause.TIMED_OUT));
    }
    if (refusal != null) {
      String reason = refusal.failure().slug();
      Refused refused = new Refused(refusedLine, request.lines().get(refusedLine), reason, refusal.detail(),
        refusal.remaining(), requestId);
      return orders.reject(key, new OrderRequests.Refusal(refusedLine, reason, refusal.detail(), refusal.remaining(),
        requestId), orderId, givenBack).map(refused);
    }
    // Microseconds, as PostgreSQL keeps it: the answer stored now and the order read later say the same time.
    java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    return store(attempt, key, new Order(orderId, 0, request.customerId(), "pending", lines, now, now, null, null,
      JobRequest.traceIdOf(JobRequest.currentTraceParent())));
  }

  /**
   * Writes the order with its request's answer. Not written in time: its stock goes back. Refused by PostgreSQL (an
   * error of the statement's own: the transaction rolled back for sure): its stock goes back and the error is the
   * answer. Broken off on its way (the connection lost, the server shutting down): {@link #settle looked up}.
   */
  private Future<PlacementOutcome> store(Attempt attempt, String key, Order order) {
    return placements.write(new OrderRepository.Placement(key, order), attempt.deadline, () -> attempt.storing = true)
      .transform(ar -> {
        if (ar.succeeded()) {
          return ar.result() ? Future.succeededFuture(placed(order.toJson())) : settle(attempt, key, order);
        }
        if (ar.cause() instanceof KeyedBatches.NotWritten || Postgres.rolledBack(ar.cause())) {
          Future<PlacementOutcome> outcome = ar.cause() instanceof KeyedBatches.NotWritten notWritten
            && notWritten.late() ? Future.succeededFuture(new Unavailable(Unavailable.Cause.TIMED_OUT))
            : Future.failedFuture(ar.cause());
          if (!attempt.storing) { // nothing of this order was ever sent
            return giveBack(key, order.id(), order.lines()).compose(v -> outcome);
          }
          return dropOrSettle(attempt, key, order, outcome); // an earlier write of it broke off: it may still commit
        }
        if (ar.cause() instanceof NullPointerException || ar.cause() instanceof ClassCastException
          || ar.cause() instanceof IllegalArgumentException || ar.cause() instanceof IndexOutOfBoundsException) {
          // No connection breaks off this way: a bug, which the lookup below answers for but must not hide.
          LOG.error("Storing order {} failed in the code, not the database; looking it up", order.id(), ar.cause());
        } else {
          LOG.debug("Storing order {} broke off ({}); looking it up", order.id(), ar.cause().toString());
        }
        return settle(attempt, key, order);
      });
  }

  /**
   * What became of an order whose write broke off or found its request answered, from its request's row: its
   * order, it is placed (the commit landed, its answer lost); swept meanwhile (the stock given back), it expired;
   * still reserving, the transaction may have rolled back or be on its way yet, so it is written again (a write that
   * finds the request answered by the first is told so) up to {@link #MAX_RESTORES} times while there is time, and
   * then the request is dropped, which waits for any transaction still holding its row and drops it only if that
   * stored nothing: dropped, nothing was ordered nor will be. While the database cannot say, asked again, past the
   * answer too (the timer answers {@link Unknown} then), until {@link #SETTLE_AFTER_MS} after it: a retry with
   * the same key finds its outcome rather than "in progress" until the sweeper's turn.
   */
  private Future<PlacementOutcome> settle(Attempt attempt, String key, Order order) {
    return requests.find(key).transform(ar -> {
      if (ar.failed()) {
        return settleLater(attempt, key, order);
      }
      OrderRequests.Stored stored = ar.result();
      boolean ours = stored != null && order.id().equals(stored.orderId());
      if (ours && stored.placedOrder() != null) {
        return Future.succeededFuture(placed(stored.placedOrder()));
      }
      if (!ours || stored.answered()) {
        // Swept (its stock given back), perhaps claimed again since by a retry, for an order of its own.
        return Future.succeededFuture(new Unavailable(Unavailable.Cause.EXPIRED));
      }
      if (attempt.restores < MAX_RESTORES && !attempt.late()) {
        attempt.restores++;
        return vertx.timer(SETTLE_PAUSE_MS).compose(v -> store(attempt, key, order));
      }
      return dropOrSettle(attempt, key, order, Future.succeededFuture(new Unavailable(Unavailable.Cause.TIMED_OUT)));
    });
  }

  /**
   * Drops the request of an order whose write broke off, which waits for any transaction still holding its row:
   * dropped, that stored nothing and {@code ifDropped} is the outcome; not, the order is looked up again; the
   * database not answering, asked again later.
   */
  private Future<PlacementOutcome> dropOrSettle(Attempt attempt, String key, Order order,
                                                Future<PlacementOutcome> ifDropped) {
    return orders.forget(key, order.id(), order.lines()).transform(dropped -> dropped.failed()
      ? settleLater(attempt, key, order) : dropped.result() ? ifDropped : settle(attempt, key, order));
  }

  private Future<PlacementOutcome> settleLater(Attempt attempt, String key, Order order) {
    long sinceAnswer = (System.nanoTime() - attempt.deadline) / 1_000_000;
    if (sinceAnswer > SETTLE_AFTER_MS) {
      LOG.warn("Order {} still unsettled {} ms after its answer; the sweeper will look after its request", order.id(),
        sinceAnswer);
      return Future.succeededFuture(new Unknown());
    }
    return vertx.timer(sinceAnswer < 0 ? SETTLE_PAUSE_MS : SETTLE_PAUSE_AFTER_ANSWER_MS)
      .compose(v -> settle(attempt, key, order));
  }

  private Placed placed(JsonObject order) {
    vertx.eventBus().publish(PLACED_ADDRESS, order);
    return new Placed(order);
  }

  /**
   * Drops the request unanswered and schedules its lines' release, unless it is answered already; never fails: when
   * that cannot be written, the sweeper does it later.
   */
  private Future<Void> giveBack(String key, UUID orderId, JsonArray lines) {
    return orders.forget(key, orderId, lines).<Void>mapEmpty().recover(err -> {
      LOG.warn("Dropping order request {} failed ({}); the sweeper will give its stock back", key, err.getMessage());
      return Future.succeededFuture();
    });
  }
}
