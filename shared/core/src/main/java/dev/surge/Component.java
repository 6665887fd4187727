package dev.surge;

import dev.surge.config.ConfigKey;
import dev.surge.config.SurgeConfig;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A part a service is built with that the core does not carry: PostgreSQL ({@code surge-pg}), the job queue on it,
 * the Redis cache ({@code surge-redis}). A service names its components in its definition
 * ({@link ServiceDefinition.Builder#use}); its jar carries only their modules.
 *
 * <p>The runtime first runs the components' {@linkplain #preparation preparations}, in order, on a thread of its own
 * while it builds the service's Vert.x; then it starts the components in the order the definition names them, each
 * once the one before is up, before the service's {@code onStart}; {@link Running#run()} follows {@code onStart}; on shutdown every
 * component drains while the HTTP instances do, then they close in reverse order.
 */
public interface Component {

  /** The keys it reads, added to the configuration of each service built with it. */
  default List<ConfigKey<?>> configKeys() {
    return List.of();
  }

  /** The server it needs, which the launcher may stand in for with an embedded one; null for none. */
  default DevServer devServer() {
    return null;
  }

  /**
   * Blocking work that needs only the configuration, or null (the default) for none: the runtime runs it on a
   * thread of its own, never an event loop, as the service starts and while it builds the service's Vert.x (a
   * clustered one takes seconds to join); {@link #start} follows once it succeeded, and the service fails to start
   * with its error if it failed. The PostgreSQL component migrates the schema here. {@code definedName} is the
   * name the service's definition gives it.
   */
  default Callable<?> preparation(String definedName, SurgeConfig config) {
    return null;
  }

  /**
   * Starts the component for one service: reads its keys from {@code context.config()}, opens its clients,
   * registers its readiness checks. Components named earlier are found through {@link ServiceContext#component}.
   */
  Future<? extends Running> start(ComponentContext context);

  /** A started component: what {@link ServiceContext#component} finds, by its type. */
  interface Running {

    /** Runs once the service's {@code onStart} is done, before its consumers and HTTP instances deploy. */
    default Future<Void> run() {
      return Future.succeededFuture();
    }

    /** Finishes its work in hand within {@code grace} (zero: hands it back at once), as the service drains. */
    default Future<Void> drain(Duration grace) {
      return Future.succeededFuture();
    }

    /** Closes its clients; the service is stopping or failed to start. */
    default Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
