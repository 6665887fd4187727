package dev.surge.jobservice.jobs;

import dev.surge.pg.PostgresComponent;
import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobQueueOptions;
import dev.surge.jobservice.JobsMain;
import dev.surge.pg.Postgres;
import dev.surge.testing.TestService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The jobs service under test, and polling its REST API. */
final class JobsApi {

  private JobsApi() {
  }

  static TestService perClass() {
    return perClass(Map.of());
  }

  /** The same, with these keys set too. */
  static TestService perClass(Map<String, ?> overrides) {
    try {
      Map<String, Object> config = new HashMap<>(Map.of(
        "jobs.dataDir", Files.createTempDirectory("surge-jobs-api").toString(),
        "jobs.pollInterval", "100ms",
        "jobs.backoffBase", "20ms",
        "jobs.queues", "default=10,reports=2",
        "jobs.http.allowedHosts", "127.0.0.1"));
      config.putAll(overrides);
      return TestService.perClass(JobsMain.definition(), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The job queue of another service (as orders embeds one) on the jobs service's database: it enqueues and reads
   * that service's jobs, and runs none.
   */
  static JobQueue otherService(TestService service, String owner) {
    var context = service.running().context();
    return JobQueue.create(context.vertx(), PostgresComponent.pool(context), Postgres.connectOptions(service.pgUrl()),
      new SimpleMeterRegistry(), new JobQueueOptions().setOwner(owner).setQueues(Map.of()));
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
      pause(20);
    }
    throw new AssertionError("job " + id + " never reached " + List.of(states) + ": " + job);
  }

  /**
   * Polls GET /jobs (the newest page) until a job holds the unique key, for up to 30 seconds, and returns it: one
   * stored by a statement that commits after the test asked for it.
   */
  static JsonObject awaitJobWithKey(TestService service, String key) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (Object job : service.get("/jobs?limit=500").bodyAsJsonObject().getJsonArray("items")) {
        if (key.equals(((JsonObject) job).getString("uniqueKey"))) {
          return (JsonObject) job;
        }
      }
      pause(20);
    }
    throw new AssertionError("no job with the unique key " + key + " was stored");
  }

  /** The queue as GET /queues lists it. */
  static JsonObject queue(TestService service, String name) {
    for (Object q : service.get("/queues").bodyAsJsonObject().getJsonArray("items")) {
      if (((JsonObject) q).getString("name").equals(name)) {
        return (JsonObject) q;
      }
    }
    throw new AssertionError("no queue " + name);
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
