package dev.surge.bench.flashsale;

import dev.surge.bench.LoadOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The flash sale's buyers (bench/flash-sale.sh --client jvm): sends {@code --buyers} orders for product
 * {@code --product}, each with an idempotency key of its own, keeping {@code --concurrency} in
 * flight (a closed loop: a buyer sends the next order as soon as the last is answered). Prints, and writes to
 * {@code --out}, a JSON summary: answers by status, placed orders per second while stock lasted, sold-out
 * rejections per second after, and latency percentiles. The books are checked afterwards in SQL
 * (bench/flash-sale.sh); this only counts what the buyers were told.
 *
 * <p>Written here rather than with wrk because each request needs a key of its own and the run must stop after
 * exactly {@code --buyers} requests, which wrk's fixed-duration loop does not do.
 */
public final class FlashSaleLoad {

  private FlashSaleLoad() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = LoadOptions.parse(args);
    URI orders = URI.create(opts.getOrDefault("orders-url", "http://127.0.0.1:8084"));
    long productId = Long.parseLong(opts.get("product"));
    int buyers = Integer.parseInt(opts.getOrDefault("buyers", "100000"));
    int quantity = Integer.parseInt(opts.getOrDefault("quantity", "1"));
    int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "256"));
    String out = opts.get("out");

    Vertx vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
      new PoolOptions().setHttp1MaxSize(concurrency));
    try {
      Run run = new Run(client, orders, productId, quantity, buyers, UUID.randomUUID().toString().substring(0, 8));
      JsonObject summary = run.start(concurrency).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.MINUTES) // blocking: main thread
        .put("productId", productId).put("buyers", buyers).put("quantity", quantity)
        .put("concurrency", concurrency);
      System.out.println(summary.encodePrettily());
      if (out != null) {
        java.nio.file.Files.writeString(java.nio.file.Path.of(out), summary.encodePrettily());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); // blocking: main thread
    }
  }

  /** One sale: every answer counted by status, latencies recorded, and the moments the phases turned. */
  private static final class Run {
    private final HttpClient client;
    private final String url;
    private final long productId;
    private final int quantity;
    private final int buyers;
    private final String runId;
    private final AtomicInteger nextBuyer = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final Map<Integer, AtomicInteger> byStatus = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger errors = new AtomicInteger();
    private final Histogram placedLatency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final Histogram rejectedLatency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final Histogram allLatency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final AtomicLong lastPlacedAt = new AtomicLong();
    private final AtomicInteger rejectedAfterSoldOut = new AtomicInteger();
    private final AtomicLong firstRejectedAfterSoldOutAt = new AtomicLong(Long.MAX_VALUE);
    private final Promise<JsonObject> done = Promise.promise();
    private long startedAt;

    Run(HttpClient client, URI orders, long productId, int quantity, int buyers, String runId) {
      this.client = client;
      this.url = orders.resolve("/orders").toString();
      this.productId = productId;
      this.quantity = quantity;
      this.buyers = buyers;
      this.runId = runId;
    }

    Future<JsonObject> start(int concurrency) {
      startedAt = System.nanoTime();
      for (int i = 0; i < Math.min(concurrency, buyers); i++) {
        next();
      }
      return done.future();
    }

    private void next() {
      int buyer = nextBuyer.getAndIncrement();
      if (buyer >= buyers) {
        return;
      }
      Buffer body = new JsonObject().put("customerId", "buyer-" + buyer).put("lines", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("productId", productId).put("quantity", quantity))).toBuffer();
      long sent = System.nanoTime();
      client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
          .putHeader("Content-Type", "application/json").putHeader("Idempotency-Key", runId + "-" + buyer))
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(response.statusCode()))
        .onComplete(ar -> {
          long now = System.nanoTime();
          long micros = Math.max(1, (now - sent) / 1000);
          if (ar.succeeded()) {
            int status = ar.result();
            byStatus.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            allLatency.recordValue(Math.min(micros, allLatency.getHighestTrackableValue()));
            if (status == 201) {
              placedLatency.recordValue(Math.min(micros, placedLatency.getHighestTrackableValue()));
              lastPlacedAt.accumulateAndGet(now, Math::max);
            } else if (status == 409) {
              rejectedLatency.recordValue(Math.min(micros, rejectedLatency.getHighestTrackableValue()));
              if (lastPlacedAt.get() != 0 && sent > lastPlacedAt.get()) {
                rejectedAfterSoldOut.incrementAndGet();
                firstRejectedAfterSoldOutAt.accumulateAndGet(sent, Math::min);
              }
            }
          } else {
            errors.incrementAndGet();
          }
          if (answered.incrementAndGet() == buyers) {
            done.complete(summary(now));
          } else {
            next();
          }
        });
    }

    private JsonObject summary(long endedAt) {
      Map<String, Object> statuses = new LinkedHashMap<>();
      byStatus.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> statuses.put(String.valueOf(e.getKey()), e.getValue().get()));
      int placed = byStatus.getOrDefault(201, new AtomicInteger()).get();
      double saleSeconds = (lastPlacedAt.get() - startedAt) / 1e9;
      double soldOutSeconds = (endedAt - Math.min(firstRejectedAfterSoldOutAt.get(), endedAt)) / 1e9;
      return new JsonObject()
        .put("statuses", new JsonObject(statuses))
        .put("errors", errors.get())
        .put("seconds", round((endedAt - startedAt) / 1e9))
        .put("placed", placed)
        .put("placedPerSecond", placed == 0 ? 0 : Math.round(placed / saleSeconds))
        .put("saleSeconds", round(saleSeconds))
        .put("soldOutRejections", rejectedAfterSoldOut.get())
        .put("soldOutRejectionsPerSecond", soldOutSeconds <= 0 ? 0 : Math.round(rejectedAfterSoldOut.get() / soldOutSeconds))
        .put("requestsPerSecond", Math.round(buyers / ((endedAt - startedAt) / 1e9)))
        .put("latencyMs", latency(allLatency))
        .put("placedLatencyMs", latency(placedLatency))
        .put("rejectedLatencyMs", latency(rejectedLatency));
    }

    private static JsonObject latency(Histogram h) {
      return new JsonObject().put("p50", h.getValueAtPercentile(50) / 1000.0).put("p99", h.getValueAtPercentile(99) / 1000.0)
        .put("max", h.getMaxValue() / 1000.0).put("count", h.getTotalCount());
    }

    private static double round(double v) {
      return Math.round(v * 1000) / 1000.0;
    }
  }
}
