package dev.surge.bench.tfb;

import dev.surge.testing.HttpDates;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on the rules every test type shares. */
final class TfbResponses {

  /**
   * TechEmpower's expected fortunes page: its twelve fortunes (toolset/databases/postgres/create-postgres.sql in
   * the FrameworkBenchmarks repository) and the one added at request time, sorted, escaped.
   */
  static final String EXPECTED_FORTUNES = "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
    + "<tr><th>id</th><th>message</th></tr>"
    + "<tr><td>11</td><td>&lt;script&gt;alert(&quot;This should not be displayed in a browser alert box.&quot;);&lt;/script&gt;</td></tr>"
    + "<tr><td>4</td><td>A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1</td></tr>"
    + "<tr><td>5</td><td>A computer program does what you tell it to do, not what you want it to do.</td></tr>"
    + "<tr><td>2</td><td>A computer scientist is someone who fixes things that aren&#39;t broken.</td></tr>"
    + "<tr><td>8</td><td>A list is only as strong as its weakest link. — Donald Knuth</td></tr>"
    + "<tr><td>0</td><td>Additional fortune added at request time.</td></tr>"
    + "<tr><td>3</td><td>After enough decimal places, nobody gives a damn.</td></tr>"
    + "<tr><td>7</td><td>Any program that runs right is obsolete.</td></tr>"
    + "<tr><td>10</td><td>Computers make very fast, very accurate mistakes.</td></tr>"
    + "<tr><td>6</td><td>Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen</td></tr>"
    + "<tr><td>9</td><td>Feature: A bug with seniority.</td></tr>"
    + "<tr><td>1</td><td>fortune: No such file or directory</td></tr>"
    + "<tr><td>12</td><td>フレームワークのベンチマーク</td></tr>"
    + "</table></body></html>";

  private TfbResponses() {
  }

  /**
   * The fortunes page is TechEmpower's, read as its validator reads it: an HTML parser, so quotes in text may be
   * written as they are or as entities ({@code "} or {@code &quot;}), while {@code <}, {@code >} and {@code &} must
   * be escaped (a message holding a script tag shows as text).
   */
  static void assertFortunesPage(String body) {
    assertThat(asTextQuotes(body)).isEqualTo(asTextQuotes(EXPECTED_FORTUNES));
  }

  private static String asTextQuotes(String html) {
    return html.replace("&quot;", "\"").replace("&#34;", "\"").replace("&#39;", "'").replace("&#x27;", "'");
  }

  /** 200 with Server, a current Date as IMF-fixdate (two-digit day), the content type, and a sized body. */
  static void assertTfbHeaders(HttpResponse<Buffer> response, String contentType) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Server")).isEqualTo("Surge");
    assertThat(response.getHeader("Content-Type")).isEqualTo(contentType);
    boolean sized = response.getHeader("Content-Length") != null
      || "chunked".equalsIgnoreCase(response.getHeader("Transfer-Encoding"));
    assertThat(sized).as("Content-Length or chunked").isTrue();
    HttpDates.assertOneImfFixdate(response.headers().getAll("Date"));
    ZonedDateTime date = ZonedDateTime.parse(response.getHeader("Date"), DateTimeFormatter.RFC_1123_DATE_TIME);
    assertThat(Duration.between(date, ZonedDateTime.now()).abs()).isLessThan(Duration.ofMinutes(1));
  }

  static void assertWorld(JsonObject world) {
    assertThat(world.fieldNames()).containsExactlyInAnyOrder("id", "randomNumber");
    assertThat(world.getInteger("id")).isBetween(1, 10_000);
    assertThat(world.getInteger("randomNumber")).isBetween(1, 10_000);
  }

  static JsonArray assertWorlds(HttpResponse<Buffer> response, int expected) {
    assertTfbHeaders(response, "application/json");
    JsonArray worlds = response.bodyAsJsonArray();
    assertThat(worlds).hasSize(expected);
    worlds.forEach(w -> assertWorld((JsonObject) w));
    return worlds;
  }
}
