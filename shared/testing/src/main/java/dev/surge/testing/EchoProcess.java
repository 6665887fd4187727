package dev.surge.testing;

import dev.surge.net.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link EchoService} as a real process of its own, on a database of its own, with a web client: for the tests
 * that send it signals. Closing it kills the process and drops the database.
 */
public final class EchoProcess implements AutoCloseable {

  public final int port = FreePorts.pick();
  public final String db = SurgeTestEnvironment.newDatabase();
  public final Vertx vertx = Vertx.vertx();
  public final WebClient client = WebClient.create(vertx);
  private ServiceProcess process;

  /** Starts it with two HTTP instances and {@code extraEnv}, and waits until it is ready. */
  public ServiceProcess start(Map<String, String> extraEnv) throws Exception {
    return start(extraEnv, List.of());
  }

  /** The same, started through {@code launcher} ({@code nohup}, say). */
  public ServiceProcess start(Map<String, String> extraEnv, List<String> launcher) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("SURGE_PG_URL", db, "SURGE_REDIS_URL",
      SurgeTestEnvironment.redisUrl(), "SURGE_HTTP_PORT", String.valueOf(port), "SURGE_HTTP_INSTANCES", "2"));
    env.putAll(extraEnv);
    process = ServiceProcess.start(launcher, EchoService.class, env);
    ServiceProcesses.awaitReady(client, port, process);
    return process;
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
    vertx.close();
    SurgeTestEnvironment.dropDatabase(db);
  }
}
