package dev.surge.bench.tfb;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** What every test type shares, whatever the concurrency model: the rules of the TechEmpower benchmarks. */
final class Tfb {

  static final int WORLD_ROWS = 10_000;
  static final int MAX_QUERIES = 500;
  static final String HELLO = "Hello, World!";
  static final String SERVER = "Surge";
  private static final CharSequence SERVER_VALUE = HttpHeaders.createOptimized(SERVER);
  static final String SELECT_WORLD = "SELECT id, randomnumber FROM world WHERE id = $1";
  static final String SELECT_FORTUNES = "SELECT id, message FROM fortune";
  static final String ADDED_FORTUNE = "Additional fortune added at request time.";
  static final String FORTUNES_TEMPLATE = "fortunes.jte";
  private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);

  private Tfb() {
  }

  /**
   * The queries or count parameter: 1..500; absent, empty, not an integer or below 1 means 1. An integer is ASCII
   * digits after an optional sign: not the other digits Long.parseLong takes (Arabic-Indic, fullwidth...).
   */
  static int clampedCount(String raw) {
    if (raw == null) {
      return 1;
    }
    String text = raw.trim();
    boolean signed = text.startsWith("-") || text.startsWith("+");
    if (text.length() == (signed ? 1 : 0)) {
      return 1;
    }
    int n = 0;
    for (int i = signed ? 1 : 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return 1;
      }
      n = Math.min(MAX_QUERIES, n * 10 + (c - '0')); // however many digits: 500 at most
    }
    return text.startsWith("-") ? 1 : Math.max(1, n);
  }

  static int randomWorldId() {
    return 1 + ThreadLocalRandom.current().nextInt(WORLD_ROWS);
  }

  static int randomNumber() {
    return 1 + ThreadLocalRandom.current().nextInt(WORLD_ROWS);
  }

  /** The chassis adds {@code Date} to every response, cached per second (dev.surge.http.HttpDate). */
  static void send(RoutingContext ctx, CharSequence contentType, Buffer body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.putHeader(HttpHeaders.SERVER, SERVER_VALUE)
      .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
      .end(body);
  }

  static Buffer json(List<World> worlds) {
    JsonArray array = new JsonArray(new ArrayList<>(worlds.size()));
    worlds.forEach(w -> array.add(w.toJson()));
    return array.toBuffer();
  }

  static Buffer helloJson() {
    return new JsonObject().put("message", HELLO).toBuffer();
  }

  /**
   * The page of the fortunes read plus the one added at request time, sorted by message, each escaped: rendered by
   * a template compiled at build time (src/main/jte), in microseconds, so on the calling thread.
   */
  static Buffer fortunesPage(RowSet<Row> rows) {
    List<Fortune> all = new ArrayList<>(rows.size() + 1);
    for (Row row : rows) {
      all.add(new Fortune(row.getInteger(0), row.getString(1)));
    }
    all.add(new Fortune(0, ADDED_FORTUNE));
    all.sort(Comparator.comparing(Fortune::message));
    Utf8ByteOutput html = new Utf8ByteOutput();
    TEMPLATES.render(FORTUNES_TEMPLATE, all, html);
    Buffer page = Buffer.buffer(html.getContentLength());
    try {
      html.writeTo(page::appendBytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // appending to a buffer does not fail
    }
    return page;
  }

  /**
   * New random numbers for the rows read, one per distinct id: a row that came up twice shows, and stores, one
   * value. Returns the rows as updated.
   */
  static List<World> withNewNumbers(List<World> read, Map<Integer, Integer> newNumbers) {
    List<World> updated = new ArrayList<>(read.size());
    for (World w : read) {
      updated.add(w.withRandomNumber(newNumbers.computeIfAbsent(w.id(), id -> randomNumber())));
    }
    return updated;
  }

  static Map<Integer, Integer> newNumbersHolder(int size) {
    return new HashMap<>(size * 2);
  }
}
