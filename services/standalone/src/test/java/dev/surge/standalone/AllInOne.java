package dev.surge.standalone;

import dev.surge.testing.TestService;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * The services of the all-in-one process, started as it starts them: the catalog hosts, the jobs service, orders
 * and the gateway join its Vert.x, and the gateway fronts the other three.
 */
public final class AllInOne implements AutoCloseable {

  public final TestService catalog;
  public final TestService jobs;
  public final TestService orders;
  public final TestService gateway;

  private AllInOne(TestService catalog, TestService jobs, TestService orders, TestService gateway) {
    this.catalog = catalog;
    this.jobs = jobs;
    this.orders = orders;
    this.gateway = gateway;
  }

  public static AllInOne start() throws IOException {
    return start(Map.of());
  }

  /** With more of the gateway's configuration ({@code gateway.apiKeys}, say). */
  public static AllInOne start(Map<String, Object> gatewayConfig) throws IOException {
    return start(gatewayConfig, Map.of());
  }

  /** With more of the gateway's and of the process's configuration (the host's: {@code admin.port}, say). */
  public static AllInOne start(Map<String, Object> gatewayConfig, Map<String, Object> processConfig)
    throws IOException {
    var services = StandaloneMain.services();
    TestService catalog = TestService.start(services.get(0), processConfig);
    TestService jobs = TestService.beside(catalog, services.get(1), Map.of("jobs.pollInterval", "100ms",
      "jobs.dataDir", Files.createTempDirectory("surge-standalone").toString()));
    TestService orders = TestService.beside(catalog, services.get(2), Map.of("jobs.pollInterval", "100ms"));
    Map<String, Object> config = new java.util.HashMap<>(gatewayConfig);
    config.putAll(Map.of("gateway.upstreams.catalog", "127.0.0.1:" + catalog.port(),
      "gateway.upstreams.orders", "127.0.0.1:" + orders.port(),
      "gateway.upstreams.jobs", "127.0.0.1:" + jobs.port()));
    TestService gateway = TestService.beside(catalog, services.get(3), config);
    return new AllInOne(catalog, jobs, orders, gateway);
  }

  /** The services closed in the reverse order of their start, the catalog, which hosts them, last. */
  @Override
  public void close() {
    gateway.close();
    orders.close();
    jobs.close();
    catalog.close();
  }
}
