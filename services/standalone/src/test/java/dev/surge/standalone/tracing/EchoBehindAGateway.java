package dev.surge.standalone.tracing;

import dev.surge.gateway.GatewayMain;
import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import dev.surge.testing.TracedSpans;

import java.util.HashMap;
import java.util.Map;

/**
 * The echo service, traced, behind a gateway of its own (as {@code /api/catalog}) with the given configuration:
 * each a process of its own, as in compose.
 */
final class EchoBehindAGateway implements AutoCloseable {

  final TestService service;
  final TestService gateway;

  private EchoBehindAGateway(TestService service, TestService gateway) {
    this.service = service;
    this.gateway = gateway;
  }

  /** The gateway traced too, every trace kept, with {@code more} of its configuration. */
  static EchoBehindAGateway traced(Map<String, Object> more) {
    Map<String, Object> front = new HashMap<>(TracedSpans.TRACED);
    front.putAll(more);
    return start(front);
  }

  static EchoBehindAGateway start(Map<String, Object> gatewayConfig) {
    TestService service = TestService.start(EchoService.definition(), TracedSpans.TRACED);
    Map<String, Object> front = new HashMap<>(gatewayConfig);
    front.put("gateway.upstreams.catalog", "127.0.0.1:" + service.port());
    return new EchoBehindAGateway(service, TestService.start(GatewayMain.definition(), front));
  }

  @Override
  public void close() {
    gateway.close();
    service.close();
  }
}
