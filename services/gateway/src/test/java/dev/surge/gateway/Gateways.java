package dev.surge.gateway;

import dev.surge.testing.TestService;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/** A gateway in front of the given replicas as its only upstream (catalog), on one HTTP instance. */
final class Gateways {

  private Gateways() {
  }

  /** A key's SHA-256 in hex, as {@code gateway.apiKeys} and {@code gateway.operatorKeys} take it. */
  static String digest(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static TestService inFrontOf(String replicas, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(Map.of("gateway.upstreams.catalog", replicas,
      "gateway.upstreams.orders", "", "gateway.upstreams.jobs", "", "http.instances", 1));
    config.putAll(extra);
    return TestService.start(GatewayMain.definition(), config);
  }

  /** The gateway's HTTP instances scaled to {@code instances} through its admin API; the answer's status. */
  static int scale(TestService gateway, int adminPort, int instances) {
    return TestService.await(gateway.running().context().vertx().createHttpClient()
      .request(io.vertx.core.http.HttpMethod.PUT, adminPort, "127.0.0.1", "/admin/instances/gateway.http")
      .compose(r -> r.putHeader("Content-Type", "application/json").send("{\"instances\": " + instances + "}"))
      .compose(r -> r.body().map(b -> r.statusCode()))).intValue();
  }
}
