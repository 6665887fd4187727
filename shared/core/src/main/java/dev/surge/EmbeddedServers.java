package dev.surge;

import java.nio.file.Path;

/**
 * PostgreSQL and Redis started inside the process for {@code pg.url} and {@code redis.url} left unset: what the
 * standalone jar passes to {@link Surge#runTogether(String, java.util.List, ServiceDefinition, EmbeddedServers,
 * String[])} (from the {@code surge-dev} module). A service's own jar has none, and asks for the URLs instead.
 * Blocking: called on the launcher's thread, before any Vert.x starts.
 */
public interface EmbeddedServers {

  /** Starts a PostgreSQL that keeps its data in {@code dataDir} (kept between runs). */
  Server postgres(Path dataDir);

  /** Starts a Redis on loopback that keeps nothing on disk. */
  Server redis();

  /**
   * A server started: its URL, and what stops it.
   *
   * @param url   its URL, as {@code pg.url} or {@code redis.url} take it
   * @param stops stops it
   */
  record Server(String url, AutoCloseable stops) {
  }
}
