package dev.surge.standalone.fuzz;

import dev.surge.standalone.AllInOne;
import dev.surge.standalone.fuzz.HostileRequests.Request;
import dev.surge.standalone.fuzz.HostileRequests.Service;
import dev.surge.testing.RawHttp;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and hostile requests to the catalog, orders and jobs, directly and through the gateway, and to the
 * gateway's own paths, all in the all-in-one process: none is answered 5xx or left unanswered, every 4xx is
 * {@code application/problem+json}, every service stays ready, and nothing is stored but what a 201 says.
 *
 * <p>{@code -Dsurge.fuzz.requests=N} sets the requests per service (5,000 by default, each run with a seed of its own), {@code -Dsurge.fuzz.seed=S}
 * the run's seed (printed at the start), and {@code -Dsurge.fuzz.case=SERVICE,VIA_GATEWAY,SEED}, as printed for a
 * failing request, sends that one request alone (several: separated by {@code ;}).
 */
class HostileRequestsAreAnsweredWithProblemsTest {

  private static final int PER_SERVICE = Integer.getInteger("surge.fuzz.requests", 5_000);
  private static final long SEED = Long.getLong("surge.fuzz.seed", ThreadLocalRandom.current().nextLong());
  private static final int TIMEOUT_MILLIS = 20_000;

  private static AllInOne platform;
  private static TestService catalog;
  private static TestService jobs;
  private static TestService orders;
  private static TestService gateway;

  @BeforeAll
  static void start() throws Exception {
    platform = AllInOne.start();
    catalog = platform.catalog;
    jobs = platform.jobs;
    orders = platform.orders;
    gateway = platform.gateway;
    for (int i = 1; i <= 3; i++) {
      catalog.postJson("/products", new JsonObject().put("sku", "FUZZ-" + i).put("name", "Target " + i)
        .put("price", 100).put("currency", "EUR").put("stock", 5));
    }
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @Test
  void everyHostileRequestIsAnsweredWithAProblemAndStoresNothing() throws Exception {
    List<Request> requests = requests();
    Map<String, Long> before = storedRows();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Request> created = new ConcurrentLinkedQueue<>();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    ExecutorService senders = Executors.newFixedThreadPool(6);
    for (Request request : requests) {
      senders.execute(() -> {
        String failure = send(request, created, statuses);
        if (failure != null) {
          failures.add(failure + "\n  " + request.describe());
        }
      });
    }
    senders.shutdown();
    assertThat(senders.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
    System.out.println("fuzz: seed " + SEED + ", " + requests.size() + " requests, statuses " + statuses);

    assertThat(failures).as(failures.size() + " failing requests; replay one with the -D line shown")
      .isEmpty();
    for (TestService service : List.of(catalog, orders, jobs, gateway)) {
      assertThat(service.get("/health/ready").statusCode()).as("ready after the run").isEqualTo(200);
    }
    assertThat(storedRows()).as("rows stored: only what a 201 answered")
      .isEqualTo(expectedRows(before, new ArrayList<>(created)));
  }

  /** The run's requests: for each service PER_SERVICE, half through the gateway, and a quarter as many to its own paths. */
  private static List<Request> requests() {
    String replay = System.getProperty("surge.fuzz.case");
    if (replay != null) {
      List<Request> cases = new ArrayList<>();
      for (String one : replay.split(";")) {
        String[] parts = one.trim().split(",");
        Service service = Service.valueOf(parts[0]);
        boolean viaGateway = Boolean.parseBoolean(parts[1]);
        cases.add(HostileRequests.make(Long.parseLong(parts[2]), service, viaGateway, port(service, viaGateway)));
      }
      return cases;
    }
    List<Request> requests = new ArrayList<>();
    java.util.SplittableRandom seeds = new java.util.SplittableRandom(SEED);
    for (Service service : Service.values()) {
      int count = service == Service.GATEWAY ? PER_SERVICE / 4 : PER_SERVICE;
      for (int i = 0; i < count; i++) {
        boolean viaGateway = service == Service.GATEWAY || i % 2 == 1;
        requests.add(HostileRequests.make(seeds.nextLong(), service, viaGateway, port(service, viaGateway)));
      }
    }
    java.util.Collections.shuffle(requests, new java.util.Random(SEED));
    return requests;
  }

  private static int port(Service service, boolean viaGateway) {
    if (viaGateway) {
      return gateway.port();
    }
    return switch (service) {
      case CATALOG -> catalog.port();
      case ORDERS -> orders.port();
      case JOBS -> jobs.port();
      case GATEWAY -> gateway.port();
    };
  }

  /** Null when the answer is as it must be, else what is wrong with it. */
  private static String send(Request request, ConcurrentLinkedQueue<Request> created,
                             Map<Integer, AtomicInteger> statuses) {
    RawHttp.Response response;
    try {
      response = RawHttp.exchange(port(request.service(), request.viaGateway()), request.bytes(), request.head(),
        TIMEOUT_MILLIS);
    } catch (IOException | RuntimeException e) {
      return request.breaksFraming() ? null : "no answer: " + e;
    }
    int status = response.status();
    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    if (status == 201 || (status == 204 && request.method().equals("DELETE"))) {
      created.add(request);
    }
    if (status >= 500) {
      return status + " " + response.body();
    }
    if (status < 400) {
      return null;
    }
    String contentType = response.header("content-type");
    if (contentType == null || !contentType.startsWith("application/problem+json")) {
      return status + " with Content-Type " + contentType + ": " + response.body();
    }
    if (request.head()) {
      return null;
    }
    try {
      JsonObject problem = new JsonObject(response.body());
      return problem.getInteger("status", -1) == status && problem.getString("title") != null ? null
        : status + " with a problem that does not say so: " + problem.encode();
    } catch (RuntimeException e) {
      return status + " with a body that is not a problem: " + response.body();
    }
  }

  private static Map<String, Long> storedRows() throws Exception {
    Map<String, Long> rows = new java.util.TreeMap<>();
    try (Connection c = SurgeTestEnvironment.jdbc(catalog.pgUrl())) {
      for (String[] count : new String[][] {
        {"products", "SELECT count(*) FROM products"},
        {"orders", "SELECT count(*) FROM orders"},
        {"jobs", "SELECT count(*) FROM surge_jobs WHERE type NOT LIKE 'order.%'"}}) {
        try (ResultSet rs = c.createStatement().executeQuery(count[1])) {
          rs.next();
          rows.put(count[0], rs.getLong(1));
        }
      }
    }
    return rows;
  }

  /**
   * What 201 answers stored (a product, a job, or an order for each idempotency key answered 201) less the products
   * a 204 deleted. The gateway's own paths reach the catalog only.
   */
  private static Map<String, Long> expectedRows(Map<String, Long> before, List<Request> created) {
    Map<Service, Integer> creates = new EnumMap<>(Service.class);
    Set<String> orderKeys = new HashSet<>();
    for (Request request : created) {
      Service service = request.service() == Service.GATEWAY ? Service.CATALOG : request.service();
      if (request.method().equals("DELETE")) {
        creates.merge(service, -1, Integer::sum);
      } else if (service == Service.ORDERS) {
        orderKeys.add(request.idempotencyKey());
      } else {
        creates.merge(service, 1, Integer::sum);
      }
    }
    Map<String, Long> expected = new java.util.TreeMap<>(before);
    expected.merge("products", (long) creates.getOrDefault(Service.CATALOG, 0), Long::sum);
    expected.merge("orders", (long) orderKeys.size(), Long::sum);
    expected.merge("jobs", (long) creates.getOrDefault(Service.JOBS, 0), Long::sum);
    return expected;
  }
}
