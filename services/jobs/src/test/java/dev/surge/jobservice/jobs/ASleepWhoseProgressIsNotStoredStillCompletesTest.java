package dev.surge.jobservice.jobs;

import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code sleep} whose progress writes fail (a connection dropped, the database failing over) still completes on its
 * first attempt: progress is for watchers, and the sleep itself went fine. It failed the attempt before, and ran
 * again. Here every progress write fails, by a trigger on the jobs table; the claim and the completion still work.
 */
class ASleepWhoseProgressIsNotStoredStillCompletesTest {

  @RegisterExtension
  static final TestService service = JobsApi.perClass();

  @Test
  void everyProgressWriteFailingTheSleepCompletesOnItsFirstAttempt() {
    SurgeTestEnvironment.execute(service.pgUrl(), """
      CREATE FUNCTION refuse_progress() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.progress IS DISTINCT FROM OLD.progress AND NEW.state = 'running' THEN
          RAISE EXCEPTION 'progress refused for the test';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_progress BEFORE UPDATE ON surge_jobs FOR EACH ROW EXECUTE FUNCTION refuse_progress();
      """);
    long id = JobsApi.enqueue(service, new JsonObject().put("type", "sleep")
      .put("args", new JsonObject().put("ms", 40).put("steps", 4)).put("maxAttempts", 1)).getLong("id");
    JsonObject done = JobsApi.awaitState(service, id, "completed", "discarded");
    assertThat(done.getString("state")).as("errors: %s", done.getJsonArray("errors")).isEqualTo("completed");
    assertThat(done.getInteger("attempt")).isEqualTo(1);
    assertThat(done.getJsonObject("result").getLong("sleptMs")).isEqualTo(40);
  }
}
