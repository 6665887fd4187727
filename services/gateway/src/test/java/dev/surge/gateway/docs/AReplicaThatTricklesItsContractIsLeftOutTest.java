package dev.surge.gateway.docs;

import dev.surge.gateway.GatewayMain;
import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica that answers its contract a byte at a time, never done, holds the gateway's /openapi.json no longer than
 * the fetch's deadline: the aggregate is answered, the service named unavailable, and the next request is not held
 * behind the first.
 */
class AReplicaThatTricklesItsContractIsLeftOutTest {

  @Test
  void theAggregateIsAnsweredWithTheServiceNamedUnavailable() {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer trickle = TestService.await(vertx.createHttpServer().requestHandler(request -> {
        request.response().putHeader("Content-Length", "100000").putHeader("Content-Type", "application/json")
          .write("{");
        vertx.setPeriodic(200, id -> {
          if (request.response().closed()) {
            vertx.cancelTimer(id);
          } else {
            request.response().write(" ");
          }
        });
      }).listen(0, "127.0.0.1"));
      try (TestService gateway = TestService.start(GatewayMain.definition(), Map.of(
        "gateway.upstreams.catalog", "127.0.0.1:" + trickle.actualPort(),
        "gateway.upstreams.orders", "", "gateway.upstreams.jobs", ""))) {
        for (int i = 0; i < 2; i++) {
          var answer = gateway.get("/openapi.json");
          assertThat(answer.statusCode()).isEqualTo(200);
          JsonObject document = answer.bodyAsJsonObject();
          assertThat(document.getJsonArray("x-surge-unavailable").getList()).containsExactly("catalog");
        }
      }
    } finally {
      vertx.close();
    }
  }
}
