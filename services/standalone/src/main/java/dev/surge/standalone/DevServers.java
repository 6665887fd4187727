package dev.surge.standalone;

import dev.surge.EmbeddedServers;
import dev.surge.embedded.EmbeddedPostgresServer;
import dev.surge.embedded.EmbeddedRedisServer;
import dev.surge.net.FreePorts;

import java.nio.file.Path;

/** The standalone jar's PostgreSQL and Redis: {@code surge-dev}'s, which no service's own jar carries. */
final class DevServers implements EmbeddedServers {

  @Override
  public Server postgres(Path dataDir) {
    EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dataDir);
    return new Server(pg.url(), pg);
  }

  @Override
  public Server redis() {
    EmbeddedRedisServer redis = EmbeddedRedisServer.start(FreePorts.pick());
    return new Server(redis.url(), redis);
  }
}
