package dev.surge;

/** What a {@link Component} gets as it starts: the service's context, and what the runtime keeps for it. */
public interface ComponentContext extends ServiceContext {

  /**
   * The service's name as its definition gives it, which what it keeps is named after (its migrations' history
   * table): {@code service.name} renames the running service (its logs, metrics, cache keys), not its tables.
   */
  String definedName();

  /**
   * The name for a pool of the service's, such as its PostgreSQL connections: {@code base} for the first service
   * of a process, {@code base-<service>} for one started beside it, so that the pool's meters reach the service's
   * own registry.
   */
  String poolName(String base);
}
