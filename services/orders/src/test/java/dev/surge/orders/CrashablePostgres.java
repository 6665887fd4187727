package dev.surge.orders;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL of a test's own (zonky's embedded binaries, as {@code EmbeddedPostgresServer} runs them)
 * that the test may crash: {@link #crash()} is {@code pg_ctl stop -m immediate}, the postmaster and every backend
 * quit at once, nothing flushed, no checkpoint; {@link #restart()} starts it again on the same data directory and
 * port, and it recovers from its WAL as after a power cut. Never the machine's PostgreSQL, which others use.
 *
 * <p>The WAL writer sleeps up to 10 s (the most PostgreSQL allows, instead of 200 ms) so that a commit made without
 * waiting for its flush is still in PostgreSQL's memory when the test crashes it: with the default the loss
 * happens too, but only to what was committed in the last fraction of a second, which a test could not aim at.
 */
final class CrashablePostgres implements AutoCloseable {

  private final Path dataDir;
  private int port;
  private EmbeddedPostgres postgres;

  private CrashablePostgres(Path dataDir) {
    this.dataDir = dataDir;
  }

  static CrashablePostgres start(Path dataDir) {
    CrashablePostgres pg = new CrashablePostgres(dataDir);
    pg.postgres = pg.launch(0);
    pg.port = pg.postgres.getPort();
    return pg;
  }

  private EmbeddedPostgres launch(int onPort) {
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir.toFile())
        .setCleanDataDirectory(false)
        .setServerConfig("max_connections", "50")
        .setServerConfig("synchronous_commit", "on") // PostgreSQL's default, which zonky turns off
        .setServerConfig("wal_writer_delay", "10s");
      if (onPort > 0) {
        builder.setPort(onPort);
      }
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "postgresql://postgres@localhost:" + port + "/postgres";
  }

  /** {@code pg_ctl stop -m immediate}, with the pg_ctl beside the running postmaster's binary (Linux only). */
  void crash() throws IOException, InterruptedException {
    long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim());
    String postgresBinary = ProcessHandle.of(pid).orElseThrow().info().command().orElseThrow();
    Path pgCtl = Path.of(postgresBinary).resolveSibling("pg_ctl");
    // In a user namespace of its own, as zonky runs its binaries: PostgreSQL's tools refuse to run as root.
    Process stop = new ProcessBuilder("unshare", "-U", pgCtl.toString(), "stop", "-D", dataDir.toString(), "-m", "immediate", "-w")
      .redirectErrorStream(true).start();
    String output = new String(stop.getInputStream().readAllBytes());
    if (!stop.waitFor(60, TimeUnit.SECONDS) || stop.exitValue() != 0) {
      throw new IllegalStateException("pg_ctl stop -m immediate failed: " + output);
    }
    closeQuietly(); // releases zonky's lock on the data directory; its own stop finds nothing to stop
  }

  void restart() {
    postgres = launch(port);
  }

  private void closeQuietly() {
    try {
      postgres.close();
    } catch (IOException | RuntimeException e) {
      // already stopped: nothing to do
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
