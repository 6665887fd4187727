package dev.surge.bench.tfb;

import dev.surge.bench.BenchMain;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static dev.surge.bench.tfb.TfbResponses.assertTfbHeaders;
import static dev.surge.bench.tfb.TfbResponses.assertWorld;
import static dev.surge.bench.tfb.TfbResponses.assertWorlds;
import static org.assertj.core.api.Assertions.assertThat;

/** Each test type's response, by the TechEmpower rules, under the default event-loop model. */
class TestTypesTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(BenchMain.definition());

  @Test
  void plaintextIsHelloWorldAsTextPlain() {
    HttpResponse<Buffer> response = service.get("/plaintext");
    assertTfbHeaders(response, "text/plain");
    assertThat(response.bodyAsString()).isEqualTo("Hello, World!");
  }

  @Test
  void jsonIsTheHelloWorldMessage() {
    HttpResponse<Buffer> response = service.get("/json");
    assertTfbHeaders(response, "application/json");
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("message", "Hello, World!"));
  }

  @Test
  void dbIsOneRandomWorldRow() throws Exception {
    HttpResponse<Buffer> response = service.get("/db");
    assertTfbHeaders(response, "application/json");
    JsonObject world = response.bodyAsJsonObject();
    assertWorld(world);
    assertThat(storedNumber(world.getInteger("id"))).isEqualTo(world.getInteger("randomNumber"));
  }

  @ParameterizedTest(name = "queries={0} gives {1} rows")
  @CsvSource(value = {"'',1", "0,1", "foo,1", "-3,1", "2,2", "20,20", "500,500", "501,500", "99999999999999,500"})
  void queriesAreClampedTo1To500(String queries, int rows) {
    assertWorlds(service.get("/queries?queries=" + queries), rows);
  }

  @ParameterizedTest(name = "/{0}?{1}= in digits other than ASCII gives 1 row")
  @CsvSource(value = {"queries,queries", "updates,queries", "cached-queries,count"})
  void digitsOtherThanAsciiAreNoIntegerAndMeanOneRow(String route, String parameter) {
    // 50 in Arabic-Indic, extended Arabic-Indic and fullwidth digits, and 5 then an Arabic-Indic 0: Java's
    // Character.isDigit and Long.parseLong take them all as digits
    for (String count : new String[] {"%D9%A5%D9%A0", "%DB%B5%DB%B0", "%EF%BC%95%EF%BC%90", "5%D9%A0"}) {
      assertWorlds(service.get("/" + route + "?" + parameter + "=" + count), 1);
    }
  }

  @Test
  void queriesWithoutTheParameterGiveOneRow() {
    assertWorlds(service.get("/queries"), 1);
  }

  @Test
  void fortunesIsTheSortedEscapedPageWithTheAddedFortune() {
    HttpResponse<Buffer> response = service.get("/fortunes");
    assertTfbHeaders(response, "text/html; charset=UTF-8");
    TfbResponses.assertFortunesPage(response.bodyAsString());
  }

  @Test
  void updatesWriteTheNewNumbersTheResponseShows() throws Exception {
    JsonArray worlds = assertWorlds(service.get("/updates?queries=20"), 20);
    for (Object o : worlds) {
      JsonObject world = (JsonObject) o;
      assertThat(storedNumber(world.getInteger("id"))).as("stored value of world " + world.getInteger("id"))
        .isEqualTo(world.getInteger("randomNumber"));
    }
  }

  @ParameterizedTest(name = "updates queries={0} gives {1} rows")
  @CsvSource(value = {"'',1", "0,1", "foo,1", "2,2", "501,500"})
  void updatesAreClampedTo1To500(String queries, int rows) {
    assertWorlds(service.get("/updates?queries=" + queries), rows);
  }

  @ParameterizedTest(name = "cached-queries count={0} gives {1} rows")
  @CsvSource(value = {"'',1", "0,1", "foo,1", "2,2", "100,100", "501,500"})
  void cachedQueriesAreClampedAndServedFromTheLoadedTable(String count, int rows) throws Exception {
    JsonArray worlds = assertWorlds(service.get("/cached-queries?count=" + count), rows);
    JsonObject first = worlds.getJsonObject(0);
    assertThat(first.getInteger("randomNumber")).isEqualTo(storedNumber(first.getInteger("id")));
  }

  @Test
  void theDateHeaderChangesEverySecond() throws Exception {
    String first = service.get("/plaintext").getHeader("Date");
    String later = first;
    for (int i = 0; i < 30 && later.equals(first); i++) {
      Thread.sleep(100);
      later = service.get("/plaintext").getHeader("Date");
    }
    assertThat(later).isNotEqualTo(first);
  }

  private static int storedNumber(int id) throws Exception {
    try (Connection c = SurgeTestEnvironment.jdbc(service.pgUrl());
         PreparedStatement st = c.prepareStatement("SELECT randomnumber FROM world WHERE id = ?")) {
      st.setInt(1, id);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
