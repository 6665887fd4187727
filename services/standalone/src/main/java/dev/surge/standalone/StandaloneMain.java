package dev.surge.standalone;

import dev.surge.ServiceDefinition;
import dev.surge.Launcher;
import dev.surge.catalog.CatalogMain;
import dev.surge.gateway.GatewayMain;
import dev.surge.jobservice.JobsMain;
import dev.surge.orders.OrdersMain;

import java.util.List;

/**
 * Every service in one process: the gateway in front (8080, or http.host and http.port as configured: the only
 * port facing users) and behind it, on loopback only, the catalog (8081), the jobs service (8083) and orders
 * (8084), in one Vert.x, talking over its local event bus, on the embedded PostgreSQL and Redis unless {@code pg.url} and
 * {@code redis.url} are set. For a newcomer without Docker, and for the flash-sale load check.
 */
public final class StandaloneMain {

  private StandaloneMain() {
  }

  public static List<ServiceDefinition> services() {
    return List.of(CatalogMain.definition(), JobsMain.definition(), OrdersMain.definition(), GatewayMain.definition());
  }

  /** The services behind the gateway: on loopback only, each on its default port. */
  static List<ServiceDefinition> behindTheGateway() {
    return services().subList(0, 3);
  }

  public static void main(String[] args) {
    Launcher.runTogether("standalone", behindTheGateway(), services().get(3), new DevServers(), args);
  }
}
