package dev.surge.jobservice;

import dev.surge.pg.JobsComponent;
import dev.surge.http.JsonInput;
import dev.surge.http.ProblemException;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobRequest;
import dev.surge.jobservice.types.JobType;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The jobs service with a data directory of its own, and running its job types to the end through the queue. */
public final class JobRuns {

  private JobRuns() {
  }

  public static Path newDataDir() {
    try {
      return Files.createTempDirectory("surge-jobs-").toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TestService perClass(Path dataDir, Map<String, ?> overrides) {
    Map<String, Object> config = new LinkedHashMap<>(Map.of(
      "jobs.dataDir", dataDir.toString(),
      "jobs.pollInterval", "100ms",
      "jobs.backoffBase", "20ms"));
    config.putAll(overrides);
    return TestService.perClass(JobsMain.definition(), config);
  }

  public static JobQueue jobs(TestService service) {
    return JobsComponent.queue(service.running().context());
  }

  /** Enqueues the job and waits, for up to 30 seconds, until it is completed, cancelled or discarded. */
  public static Job run(TestService service, JobRequest request) {
    JobQueue jobs = jobs(service);
    long id = TestService.await(jobs.enqueue(request)).id();
    long deadline = System.nanoTime() + 30_000_000_000L;
    Job job = null;
    while (System.nanoTime() < deadline) {
      job = TestService.await(jobs.get(id));
      if (job.state().isFinal()) {
        return job;
      }
      sleep(20);
    }
    throw new AssertionError("job " + id + " never finished; it is " + job);
  }

  /** The error each offending field got from {@code type.validate}; empty when the args are valid. */
  public static Map<String, String> fieldErrors(JobType type, JsonObject args) {
    JsonInput input = JsonInput.of(args);
    type.validate(input);
    Map<String, String> errors = new LinkedHashMap<>();
    if (input.valid()) {
      return errors;
    }
    try {
      input.validate();
      throw new AssertionError("validate() did not throw for invalid args");
    } catch (ProblemException e) {
      e.problem().toJson(null, null).getJsonArray("errors").forEach(o -> {
        JsonObject error = (JsonObject) o;
        errors.merge(error.getString("field"), error.getString("message"), (a, b) -> a + "; " + b);
      });
    }
    return errors;
  }

  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
