package dev.surge.orders;

import dev.surge.testing.Problems;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory of sold-out products is the service's, not each HTTP instance's: once the catalog has refused one
 * order for want of stock, orders on every instance are refused from memory, and the catalog is asked once.
 */
class EveryInstanceKnowsAProductSoldOutOnceOneLearnsTest {

  private static final long PRODUCT = 9;
  private static final int INSTANCES = 4;
  private static CatalogStandIn catalog;
  private static WebClient newConnectionEachTime;

  @BeforeAll
  static void start() {
    catalog = new CatalogStandIn(Map.of("orders.soldOutMemory", "10s", "http.instances", INSTANCES), 0);
    // Each connection goes to the next event loop, so requests on connections of their own reach every instance.
    newConnectionEachTime = WebClient.create(catalog.orders.running().vertx(),
      new WebClientOptions().setDefaultPort(catalog.orders.port()).setKeepAlive(false));
  }

  @AfterAll
  static void stop() {
    newConnectionEachTime.close();
    catalog.close();
  }

  @Test
  void theCatalogIsAskedOnceWhicheverInstancesTheOrdersReach() {
    for (int i = 0; i < 6 * INSTANCES; i++) {
      Problems.assertProblem(place("order-" + i), 409, "insufficient-stock");
    }
    assertThat(catalog.asked).as("the first order asked; every instance refused the others from memory").hasValue(1);
  }

  private static HttpResponse<Buffer> place(String key) {
    return await(newConnectionEachTime.post("/orders").putHeader("Content-Type", "application/json")
      .putHeader("Idempotency-Key", key).sendBuffer(Buffer.buffer(Platform.order("ivy", PRODUCT, 1).encode())));
  }
}
