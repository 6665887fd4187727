package dev.surge.standalone.docs;

import dev.surge.standalone.AllInOne;
import dev.surge.testing.ContractCheck;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's tour, replayed in order against the whole platform as the all-in-one process runs it: each curl to
 * the gateway is answered, never with a 5xx, and as the gateway's contract says (the status documented, the headers
 * and the body fitting their schemas). A curl the docs add that is not answered so, or one the replay cannot read,
 * fails the build.
 */
class EveryCurlOfTheReadmeIsAnsweredAsTheContractSaysTest {

  private static final String GATEWAY = "localhost:8080";

  @Test
  void eachCurlInTurn() throws Exception {
    List<Curl> curls = Curl.in(Files.readString(Path.of("../../README.md")), GATEWAY);
    assertThat(curls).as("the tour's curls").hasSizeGreaterThanOrEqualTo(10);
    Vertx vertx = Vertx.vertx();
    try (AllInOne platform = AllInOne.start()) {
      TestService gateway = platform.gateway;
      JsonObject contract = gateway.get("/openapi.json").bodyAsJsonObject();
      assertThat(contract.getValue("x-surge-unavailable")).as("every service's contract").isNull();
      ContractCheck check = TestService.await(ContractCheck.of(vertx, contract));
      for (Curl curl : curls) {
        HttpResponse<Buffer> answer = gateway.send(HttpMethod.valueOf(curl.method()), curl.target(),
          MultiMap.caseInsensitiveMultiMap().addAll(curl.headers()), curl.body());
        assertThat(answer.statusCode()).as(curl.line() + "\n" + answer.bodyAsString()).isLessThan(500);
        TestService.await(check.check(HttpMethod.valueOf(curl.method()), curl.target(), answer.statusCode(),
          answer.headers(), answer.body()));
      }
      assertThat(gateway.get("/api/catalog/products/1").bodyAsJsonObject().getInteger("stock"))
        .as("the tour's comment: stock 8 after the order of 2").isEqualTo(8);
    } finally {
      vertx.close();
    }
  }
}
