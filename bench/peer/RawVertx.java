// The TechEmpower test types on Vert.x core and its PostgreSQL client alone, built the way TechEmpower's `vertx`
// entry is (issue 19's yardstick): one verticle per event loop, each with one pipelined connection of its own and
// statements prepared at start, a path switch instead of a router, header values as pre-encoded bytes, no metrics,
// no chassis. Written for this repository (the entry is not in it); bench/compare.sh --peers runs it beside bench.
// No build step: the JDK's source launcher runs this file on bench's jar, which carries Vert.x and the pg client.
//
//   java -cp services/bench/target/bench.jar bench/peer/RawVertx.java PORT POSTGRES_URL
//
// What it leaves out of the rules that no load line reaches: it answers 404 to anything else, and a failed
// statement with a bare 500.
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.impl.SqlClientInternal;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

public final class RawVertx extends VerticleBase {

  private static final DateTimeFormatter IMF_FIXDATE =
    DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
  private static final CharSequence SERVER = HttpHeaders.createOptimized("vert.x");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence HTML = HttpHeaders.createOptimized("text/html; charset=UTF-8");
  private static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain");
  private static final Buffer HELLO = Buffer.buffer("Hello, world!");
  private static final String SELECT_WORLD = "SELECT id, randomnumber FROM world WHERE id = $1";
  private static final String ADDED = "Additional fortune added at request time.";

  private static String pgUrl;

  private CharSequence date = date();
  private PgConnection connection;
  private PreparedQuery<RowSet<Row>> selectWorld;
  private PreparedQuery<RowSet<Row>> selectFortunes;
  private final PreparedQuery<RowSet<Row>>[] updates = newUpdates();

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    pgUrl = args[1];
    int loops = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(loops))
      .withTransport(Transport.IO_URING.available() ? Transport.IO_URING : Transport.NIO).build();
    vertx.deployVerticle(() -> new RawVertx(port), new DeploymentOptions().setInstances(loops))
      .onSuccess(id -> System.out.println("raw vert.x on " + port + ", " + loops + " loops"))
      .onFailure(e -> { e.printStackTrace(); System.exit(1); });
  }

  private final int port;

  private RawVertx(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(1000, id -> date = date());
    PgConnectOptions options = PgConnectOptions.fromUri(pgUrl)
      .setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(1024).setPipeliningLimit(100_000);
    return PgConnection.connect(vertx, options).compose(conn -> {
      connection = conn;
      return Future.all(
        conn.prepare(SELECT_WORLD).map(ps -> selectWorld = ps.query()),
        conn.prepare("SELECT id, message FROM fortune").map(ps -> selectFortunes = ps.query()));
    }).compose(ready -> vertx.createHttpServer().requestHandler(this::handle).listen(port));
  }

  private void handle(HttpServerRequest request) {
    switch (request.path()) {
      case "/plaintext" -> answer(request, TEXT, HELLO);
      case "/json" -> answer(request, JSON, new JsonObject().put("message", "Hello, World!").toBuffer());
      case "/db" -> selectWorld.execute(Tuple.of(randomWorld())).onComplete(ar -> {
        if (ar.succeeded()) {
          answer(request, JSON, world(ar.result().iterator().next()).toBuffer());
        } else {
          request.response().setStatusCode(500).end();
        }
      });
      case "/queries" -> reads(count(request)).onComplete(ar -> {
        if (ar.succeeded()) {
          answer(request, JSON, new JsonArray(ar.result()).toBuffer());
        } else {
          request.response().setStatusCode(500).end();
        }
      });
      case "/updates" -> updates(count(request)).onComplete(ar -> {
        if (ar.succeeded()) {
          answer(request, JSON, new JsonArray(ar.result()).toBuffer());
        } else {
          request.response().setStatusCode(500).end();
        }
      });
      case "/fortunes" -> selectFortunes.execute().onComplete(ar -> {
        if (ar.succeeded()) {
          answer(request, HTML, fortunes(ar.result()));
        } else {
          request.response().setStatusCode(500).end();
        }
      });
      default -> request.response().setStatusCode(404).end();
    }
  }

  private void answer(HttpServerRequest request, CharSequence type, Buffer body) {
    MultiMap headers = request.response().headers();
    headers.add(HttpHeaders.SERVER, SERVER).add(HttpHeaders.DATE, date).add(HttpHeaders.CONTENT_TYPE, type);
    request.response().end(body);
  }

  /** Statements sent at once on the loop's one connection, pipelined, grouped into one write as the entry does. */
  private Future<List<Object>> reads(int n) {
    List<Future<JsonObject>> reads = new ArrayList<>(n);
    ((SqlClientInternal) connection).group(grouped -> {
      PreparedQuery<RowSet<Row>> select = grouped.preparedQuery(SELECT_WORLD);
      for (int i = 0; i < n; i++) {
        reads.add(select.execute(Tuple.of(randomWorld())).map(rows -> world(rows.iterator().next())));
      }
    });
    return Future.all(reads).map(all -> {
      List<Object> worlds = new ArrayList<>(n);
      reads.forEach(f -> worlds.add(f.result()));
      return worlds;
    });
  }

  /**
   * The reads, then one UPDATE of every row, ids in ascending order (as the entry does, and bench); an id drawn
   * twice gets one value, the last drawn (bench's WorldUpdates keeps one the same way).
   */
  private Future<List<Object>> updates(int n) {
    return reads(n).compose(worlds -> {
      TreeMap<Integer, Integer> numbers = new TreeMap<>();
      worlds.forEach(w -> numbers.put(((JsonObject) w).getInteger("id"), randomWorld()));
      worlds.forEach(w -> ((JsonObject) w).put("randomNumber", numbers.get(((JsonObject) w).getInteger("id"))));
      Tuple params = Tuple.tuple();
      numbers.forEach((id, number) -> params.addInteger(id).addInteger(number));
      return update(numbers.size()).execute(params).map(done -> worlds);
    });
  }

  private PreparedQuery<RowSet<Row>> update(int rows) {
    if (updates[rows] == null) {
      StringBuilder sql = new StringBuilder("UPDATE world SET randomnumber = v.r FROM (VALUES ");
      for (int i = 0; i < rows; i++) {
        sql.append(i == 0 ? "" : ", ").append("($").append(2 * i + 1).append("::int, $").append(2 * i + 2).append("::int)");
      }
      updates[rows] = connection.preparedQuery(sql.append(") AS v(id, r) WHERE world.id = v.id").toString());
    }
    return updates[rows];
  }

  private static Buffer fortunes(RowSet<Row> rows) {
    List<String[]> all = new ArrayList<>(rows.size() + 1);
    for (Row row : rows) {
      all.add(new String[] {String.valueOf(row.getInteger(0)), row.getString(1)});
    }
    all.add(new String[] {"0", ADDED});
    all.sort((a, b) -> a[1].compareTo(b[1]));
    StringBuilder html = new StringBuilder(2048)
      .append("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>");
    for (String[] f : all) {
      html.append("<tr><td>").append(f[0]).append("</td><td>");
      escape(html, f[1]);
      html.append("</td></tr>");
    }
    return Buffer.buffer(html.append("</table></body></html>").toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void escape(StringBuilder out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
  }

  private static JsonObject world(Row row) {
    return new JsonObject().put("id", row.getInteger(0)).put("randomNumber", row.getInteger(1));
  }

  private static int count(HttpServerRequest request) {
    try {
      return Math.min(500, Math.max(1, Integer.parseInt(request.getParam("queries", "1"))));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static int randomWorld() {
    return 1 + ThreadLocalRandom.current().nextInt(10_000);
  }

  private static CharSequence date() {
    return HttpHeaders.createOptimized(IMF_FIXDATE.format(ZonedDateTime.now()));
  }

  @SuppressWarnings("unchecked")
  private static PreparedQuery<RowSet<Row>>[] newUpdates() {
    return new PreparedQuery[501];
  }
}
