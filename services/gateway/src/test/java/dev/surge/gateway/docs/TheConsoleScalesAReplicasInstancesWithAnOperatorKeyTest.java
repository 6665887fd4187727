package dev.surge.gateway.docs;

import dev.surge.catalog.CatalogMain;
import dev.surge.gateway.GatewayMain;
import dev.surge.net.FreePorts;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through the gateway, with an operator key, the console sees each replica's instances (from its admin API, at the
 * replica's host and gateway.adminPort) and scales them; without the key nothing is seen or changed, and no request
 * can name a replica the gateway is not configured with.
 */
class TheConsoleScalesAReplicasInstancesWithAnOperatorKeyTest {

  private static final String OPERATOR = "an-operator-key-0123456789";

  @Test
  void anOperatorSeesAndScalesTheCatalogsHttpInstances() throws Exception {
    int admin = FreePorts.pick();
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
      .digest(OPERATOR.getBytes(StandardCharsets.UTF_8)));
    try (TestService catalog = TestService.start(CatalogMain.definition(), Map.of("admin.port", admin));
         TestService gateway = TestService.start(GatewayMain.definition(), Map.of(
           "gateway.upstreams.catalog", "127.0.0.1:" + catalog.port(), "gateway.upstreams.orders", "",
           "gateway.upstreams.jobs", "", "gateway.adminPort", admin, "gateway.operatorKeys", digest))) {
      MultiMap key = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + OPERATOR);
      assertThat(gateway.get("/console/api/instances").statusCode()).as("no operator key").isEqualTo(401);

      JsonObject seen = gateway.get("/console/api/instances", key).bodyAsJsonObject();
      JsonObject replica = seen.getJsonArray("services").getJsonObject(0).getJsonArray("replicas").getJsonObject(0);
      assertThat(replica.getString("address")).isEqualTo("127.0.0.1:" + catalog.port());
      assertThat(serving(replica.getJsonArray("instances"), "catalog.http")).isEqualTo(2);

      String path = "/console/api/instances/catalog/127.0.0.1:" + catalog.port() + "/catalog.http";
      MultiMap json = MultiMap.caseInsensitiveMultiMap().addAll(key).add("Content-Type", "application/json");
      assertThat(gateway.send(HttpMethod.PUT, path, MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json"), "{\"instances\": 3}").statusCode()).as("no key").isEqualTo(401);
      var scaled = gateway.send(HttpMethod.PUT, path, json, "{\"instances\": 3}");
      assertThat(scaled.statusCode()).as(scaled.bodyAsString()).isEqualTo(200);
      assertThat(serving(scaled.bodyAsJsonObject().getJsonArray("instances"), "catalog.http")).isEqualTo(3);

      var refused = gateway.send(HttpMethod.PUT, path, json, "{\"instances\": 0}");
      assertThat(refused.statusCode()).as("the admin API's own problem, passed on").isEqualTo(400);
      assertThat(gateway.send(HttpMethod.PUT, "/console/api/instances/catalog/10.0.0.1:8081/catalog.http", json,
        "{\"instances\": 1}").statusCode()).as("a replica not configured").isEqualTo(404);
      assertThat(gateway.send(HttpMethod.POST, "/console/api/instances/catalog/127.0.0.1:" + catalog.port()
        + "/restart", key, null).statusCode()).as("started").isEqualTo(202);
    }
  }

  private static long serving(JsonArray instances, String verticle) {
    return instances.stream().map(JsonObject.class::cast)
      .filter(i -> verticle.equals(i.getString("verticle")) && "serving".equals(i.getString("state"))).count();
  }
}
