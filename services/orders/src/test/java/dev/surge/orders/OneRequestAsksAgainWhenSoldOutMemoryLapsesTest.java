package dev.surge.orders;

import dev.surge.testing.Problems;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders alone, with a catalog stand-in that counts the reservations it is asked for and answers each after a
 * while: when the memory of a sold-out product lapses, one request asks the catalog again and the others are
 * refused from memory meanwhile; stock found back ends the memory at once.
 */
class OneRequestAsksAgainWhenSoldOutMemoryLapsesTest {

  private static final long PRODUCT = 42;
  private static CatalogStandIn catalog;

  @BeforeAll
  static void start() {
    catalog = new CatalogStandIn(Map.of("orders.soldOutMemory", "300ms", "http.instances", 1), 200);
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void whileOneRequestAsksTheCatalogAgainTheOthersAreStillRefusedFromMemory() throws Exception {
    Problems.assertProblem(place("first"), 409, "insufficient-stock");
    assertThat(catalog.asked).hasValue(1);

    Thread.sleep(400); // the memory lapses
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      burst.add(send("burst-" + i));
    }
    for (var response : burst) {
      Problems.assertProblem(await(response), 409, "insufficient-stock");
    }
    assertThat(catalog.asked).as("one of the twenty asked the catalog; the rest were refused from memory").hasValue(2);

    Thread.sleep(400);
    catalog.remaining.set(5);
    assertThat(place("back").statusCode()).as("the one that asks finds stock").isEqualTo(201);
    assertThat(place("next").statusCode()).as("and the memory is gone at once").isEqualTo(201);
    assertThat(catalog.asked).hasValue(4);
  }

  private static HttpResponse<Buffer> place(String key) {
    return catalog.place(key, PRODUCT);
  }

  private static Future<HttpResponse<Buffer>> send(String key) {
    return catalog.send(key, PRODUCT);
  }
}
