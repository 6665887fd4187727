package dev.surge.gateway;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway faces the network, and its meters name every replica and count every route: with
 * gateway.readsNeedKey its /metrics needs a key as the APIs' reads do (a scraper sends one), where anyone could
 * read it; without, it is open as those reads are.
 */
class TheGatewaysMetricsAreHeldToTheApisReadsTest {

  @Test
  void withReadsNeedingAKeyTheScrapeNeedsOne() throws Exception {
    String digest = Gateways.digest("scraper-key");
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      new HashMap<>(Map.of("gateway.apiKeys", digest, "gateway.readsNeedKey", true)))) {
      Problems.assertProblem(gateway.get("/metrics", MultiMap.caseInsensitiveMultiMap()), 401, "unauthorized");
      var scraped = gateway.get("/metrics", MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer scraper-key"));
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.bodyAsString()).contains("surge_gateway_replica_available{");
    }
  }

  @Test
  void withOpenReadsTheScrapeIsOpen() {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"), Map.of())) {
      var scraped = gateway.get("/metrics", MultiMap.caseInsensitiveMultiMap());
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.bodyAsString()).contains("surge_gateway_replica_available{");
    }
  }

  @Test
  void aGatewayFullOfRequestsStillAnswersItsScrape() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      new HashMap<>(Map.of("http.maxInFlight", 2, "http.maxQueued", 0)))) {
      var held = java.util.List.of(gateway.request(io.vertx.core.http.HttpMethod.GET, "/api/catalog/p?ms=3000").send(),
        gateway.request(io.vertx.core.http.HttpMethod.GET, "/api/catalog/p?ms=3000").send());
      Thread.sleep(300);
      Problems.assertProblem(gateway.get("/api/catalog/p", MultiMap.caseInsensitiveMultiMap()), 503, "overloaded");
      var scraped = gateway.get("/metrics", MultiMap.caseInsensitiveMultiMap());
      assertThat(scraped.statusCode()).as("the scrape comes before the shedder").isEqualTo(200);
      TestService.await(io.vertx.core.Future.join(held));
    }
  }
}
