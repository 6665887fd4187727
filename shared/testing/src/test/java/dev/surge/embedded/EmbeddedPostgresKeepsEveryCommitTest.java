package dev.surge.embedded;

import dev.surge.testing.SurgeTestEnvironment;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded PostgreSQL that the all-in-one process keeps its data in flushes every commit before answering
 * it, as a configured server does: zonky's defaults (fsync, synchronous_commit and full_page_writes off) are
 * for throw-away test databases, and would lose answered orders and jobs in a crash.
 */
class EmbeddedPostgresKeepsEveryCommitTest {

  @Test
  void everyCommitIsFlushedBeforeItIsAnswered() throws Exception {
    Path dir = Files.createTempDirectory("surge-embedded-pg");
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir);
         Connection c = SurgeTestEnvironment.jdbc(pg.url())) {
      for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
        try (ResultSet rs = c.createStatement().executeQuery("SHOW " + setting)) {
          rs.next();
          assertThat(rs.getString(1)).as(setting).isEqualTo("on");
        }
      }
    }
  }
}
