package dev.surge.gateway;

import dev.surge.testing.TestService;

import java.util.HashMap;
import java.util.Map;

/** A gateway in front of the given replicas as its only upstream (catalog), on one HTTP instance. */
final class Gateways {

  private Gateways() {
  }

  static TestService inFrontOf(String replicas, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(Map.of("gateway.upstreams.catalog", replicas,
      "gateway.upstreams.orders", "", "gateway.upstreams.jobs", "", "http.instances", 1));
    config.putAll(extra);
    return TestService.start(GatewayMain.definition(), config);
  }
}
