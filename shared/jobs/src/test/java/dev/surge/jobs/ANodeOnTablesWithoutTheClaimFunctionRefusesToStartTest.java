package dev.surge.jobs;

import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims go through the schema's {@code surge_jobs_claim}, which migration V3 adds. An application that runs the
 * queue's migrations itself and stopped at V2 would otherwise start a node whose every claim fails, its jobs
 * piling up with nothing above DEBUG in the log: the node refuses to start and says which migration is missing.
 */
class ANodeOnTablesWithoutTheClaimFunctionRefusesToStartTest {

  @Test
  void theStartFailsNamingTheMissingMigration(@TempDir Path dir) {
    try (TablesAsOf tables = new TablesAsOf(dir, "2")) {
      JobQueue queue = tables.queue(new JobQueueOptions().setQueues(Map.of("default", 2)));
      queue.register("noop", ThreadingModel.EVENT_LOOP, job -> Future.succeededFuture(new JsonObject()));

      Throwable failure = TablesAsOf.await(queue.start().map(v -> (Throwable) null).otherwise(err -> err));

      assertThat(failure).as("the start's failure").isNotNull();
      assertThat(failure.getMessage()).contains("surge_jobs_claim").contains("V3");
    }
  }
}
