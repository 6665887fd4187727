package dev.surge.jobservice.jobs;

import dev.surge.jobservice.JobsMain;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** The jobs service under test, and polling its REST API. */
final class JobsApi {

  private JobsApi() {
  }

  static TestService perClass() {
    try {
      return TestService.perClass(JobsMain.definition(), Map.of(
        "jobs.dataDir", Files.createTempDirectory("surge-jobs-api").toString(),
        "jobs.pollInterval", "100ms",
        "jobs.backoffBase", "20ms",
        "jobs.queues", "default=10,reports=2"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject enqueue(TestService service, JsonObject body) {
    var response = service.postJson("/jobs", body);
    if (response.statusCode() != 201) {
      throw new AssertionError("enqueue answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** Polls GET /jobs/{id} until the job is in one of {@code states}, for up to 30 seconds. */
  static JsonObject awaitState(TestService service, long id, String... states) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonObject job = null;
    while (System.nanoTime() < deadline) {
      job = service.get("/jobs/" + id).bodyAsJsonObject();
      if (List.of(states).contains(job.getString("state"))) {
        return job;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("job " + id + " never reached " + List.of(states) + ": " + job);
  }
}
