package dev.surge.bench.load;

import dev.surge.bench.LoadOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A steady load through the gateway while faults happen (ops/compose-test.sh): an open loop of {@code --rate}
 * requests a second, whatever the answers, in a fixed mix: a product read from the catalog, an order of one unit
 * of {@code --product} (each with an Idempotency-Key of its own), and the jobs service's queue list. It stops by
 * itself after {@code --duration}, or sooner when the file {@code --stop} appears, then writes every request to
 * {@code --out}/requests.csv and, split at the moments listed in {@code --marks} (lines of epoch milliseconds and a
 * label, appended by the script as it causes each fault), a summary per phase to {@code --out}/phases.json:
 * requests, failures by kind and answer, the first and last failure after the phase began, and how many failures
 * were 503s carrying Retry-After.
 *
 * <p>Written here rather than with wrk because every order needs a key of its own, every request's time and
 * answer must be kept to tell when the failures stopped, and the rate must not depend on the answers (a closed
 * loop slows down exactly when the service does, and hides the failures).
 */
public final class SteadyLoad {

  private static final String[] KINDS = {"catalog", "order", "catalog", "jobs"};

  /** One request: when it was sent, what it was, its answer (0: none), whether a 5xx said when to come back. */
  record Sample(long sentAtMs, String kind, int status, boolean retryAfter, long latencyMs, String error) {
    boolean failed() {
      return switch (kind) {
        case "order" -> status != 201 && status != 409;
        default -> status != 200;
      };
    }

    String answer() {
      return status == 0 ? "error " + error : status >= 500 && retryAfter ? status + "+Retry-After" : String.valueOf(status);
    }

    /**
     * A service's considered answer: 503 (nothing done, come back then) or 504 (an order whose database did not
     * confirm it in time: the same request again learns its outcome), each with Retry-After.
     */
    boolean considered() {
      return (status == 503 || status == 504) && retryAfter;
    }
  }

  private SteadyLoad() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = LoadOptions.parse(args);
    String gateway = opts.getOrDefault("gateway", "http://127.0.0.1:8080");
    int rate = Integer.parseInt(opts.getOrDefault("rate", "200"));
    long durationMs = TimeUnit.SECONDS.toMillis(Long.parseLong(opts.getOrDefault("duration", "600")));
    long productId = Long.parseLong(opts.get("product"));
    String key = opts.getOrDefault("key", "surge-dev-key");
    Path stop = Path.of(opts.getOrDefault("stop", "load.stop"));
    Path marks = Path.of(opts.getOrDefault("marks", "marks.txt"));
    Path out = Path.of(opts.getOrDefault("out", "."));
    int timeoutMs = Integer.parseInt(opts.getOrDefault("timeout-ms", "10000"));
    String run = UUID.randomUUID().toString().substring(0, 8);

    Vertx vertx = Vertx.vertx();
    // Enough connections that the pool never holds a request back: an open loop waits for nothing of its own.
    int connections = Integer.parseInt(opts.getOrDefault("connections", "512"));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2000),
      new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    long started = System.currentTimeMillis();
    Buffer order = new JsonObject().put("customerId", "steady-" + run).put("lines", new JsonArray()
      .add(new JsonObject().put("productId", productId).put("quantity", 1))).toBuffer();
    long[] sent = {0};
    // Every 10 ms, as many requests as the rate owes by now: the schedule keeps to the clock, not to the answers.
    vertx.setPeriodic(10, id -> {
      long now = System.currentTimeMillis();
      if (now - started >= durationMs || Files.exists(stop)) {
        vertx.cancelTimer(id);
        return;
      }
      long due = (now - started) * rate / 1000;
      for (; sent[0] < due; sent[0]++) {
        String kind = KINDS[(int) (sent[0] % KINDS.length)];
        RequestOptions request = switch (kind) {
          case "catalog" -> new RequestOptions().setMethod(HttpMethod.GET)
            .setAbsoluteURI(gateway + "/api/catalog/products/" + productId);
          case "order" -> new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(gateway + "/api/orders/orders")
            .putHeader("Authorization", "Bearer " + key).putHeader("Content-Type", "application/json")
            .putHeader("Idempotency-Key", "steady-" + run + "-" + sent[0]);
          default -> new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(gateway + "/api/jobs/queues");
        };
        request.setTimeout(timeoutMs);
        long t0 = System.currentTimeMillis();
        client.request(request)
          .compose(r -> kind.equals("order") ? r.send(order) : r.send())
          .compose(response -> response.body().map(body -> new Sample(t0, kind, response.statusCode(),
            response.getHeader("Retry-After") != null, System.currentTimeMillis() - t0, "")))
          .otherwise(e -> new Sample(t0, kind, 0, false, System.currentTimeMillis() - t0,
            e.getClass().getSimpleName()))
          .onSuccess(samples::add);
      }
    });
    while (System.currentTimeMillis() - started < durationMs + timeoutMs && !Files.exists(stop)) {
      Thread.sleep(200); // the main thread waits; the event loop sends
    }
    Thread.sleep(timeoutMs + 500L); // every request answered or timed out
    vertx.close().await();

    List<Sample> all = new ArrayList<>(samples);
    all.sort(Comparator.comparingLong(Sample::sentAtMs));
    Files.createDirectories(out);
    try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("requests.csv")))) {
      csv.println("sentAtMs,kind,status,retryAfter,latencyMs,error");
      all.forEach(s -> csv.println(s.sentAtMs() + "," + s.kind() + "," + s.status() + "," + s.retryAfter() + ","
        + s.latencyMs() + "," + s.error()));
    }
    JsonArray phases = phases(all, readMarks(marks, started));
    Files.writeString(out.resolve("phases.json"), phases.encodePrettily());
    for (Object p : phases) {
      JsonObject phase = (JsonObject) p;
      System.out.printf("load: %-28s %6d requests, %5d failed %s%n", phase.getString("phase"),
        phase.getInteger("requests"), phase.getInteger("failed"),
        phase.getInteger("failed") == 0 ? "" : phase.getJsonObject("failures").encode()
          + ", last " + phase.getLong("lastFailureMs") + " ms after the phase began");
    }
  }

  private static TreeMap<Long, String> readMarks(Path marks, long started) throws IOException {
    TreeMap<Long, String> byTime = new TreeMap<>();
    byTime.put(started, "start");
    if (Files.exists(marks)) {
      for (String line : Files.readAllLines(marks)) {
        String[] parts = line.trim().split("\\s+", 2);
        if (parts.length == 2) {
          byTime.put(Long.parseLong(parts[0]), parts[1]);
        }
      }
    }
    return byTime;
  }

  /** The samples split at the marks: each phase from its mark to the next. */
  static JsonArray phases(List<Sample> all, TreeMap<Long, String> marks) {
    JsonArray phases = new JsonArray();
    for (Map.Entry<Long, String> mark : marks.entrySet()) {
      long from = mark.getKey();
      Long to = marks.higherKey(from);
      List<Sample> in = all.stream().filter(s -> s.sentAtMs() >= from && (to == null || s.sentAtMs() < to)).toList();
      List<Sample> failed = in.stream().filter(Sample::failed).toList();
      Map<String, Integer> failures = new TreeMap<>();
      failed.forEach(s -> failures.merge(s.kind() + " " + s.answer(), 1, Integer::sum));
      phases.add(new JsonObject()
        .put("phase", mark.getValue())
        .put("startedAtMs", from)
        .put("seconds", ((to == null ? in.isEmpty() ? from : in.get(in.size() - 1).sentAtMs() : to) - from) / 1000.0)
        .put("requests", in.size())
        .put("failed", failed.size())
        .put("failedWithoutRetryAfter", failed.stream().filter(s -> !s.considered()).count())
        .put("failures", new JsonObject(new TreeMap<>(failures)))
        .put("firstFailureMs", failed.isEmpty() ? null : failed.get(0).sentAtMs() - from)
        .put("lastFailureMs", failed.isEmpty() ? null : failed.get(failed.size() - 1).sentAtMs() - from)
        .put("ordersPlaced", in.stream().filter(s -> s.kind().equals("order") && s.status() == 201).count())
        .put("maxLatencyMs", in.stream().mapToLong(Sample::latencyMs).max().orElse(0)));
    }
    return phases;
  }
}
