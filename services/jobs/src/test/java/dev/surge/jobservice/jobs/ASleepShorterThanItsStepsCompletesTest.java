package dev.surge.jobservice.jobs;

import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@code sleep} the API accepts runs: none of zero ms, nor one of fewer ms than steps, fails on a timer of 0 ms. */
class ASleepShorterThanItsStepsCompletesTest {

  @RegisterExtension
  static final TestService service = JobsApi.perClass();

  @Test
  void aSleepOfZeroMsCompletesOnItsFirstAttempt() {
    JsonObject done = sleep(new JsonObject().put("ms", 0));
    assertThat(done.getJsonObject("result").getLong("sleptMs")).isZero();
  }

  @Test
  void aSleepOfFewerMsThanStepsCompletesOnItsFirstAttempt() {
    JsonObject done = sleep(new JsonObject().put("ms", 5).put("steps", 10));
    assertThat(done.getJsonObject("result").getLong("sleptMs")).isEqualTo(5);
    assertThat(done.getJsonObject("progress").getInteger("percent")).isEqualTo(100);
  }

  private static JsonObject sleep(JsonObject args) {
    long id = JobsApi.enqueue(service, new JsonObject().put("type", "sleep").put("args", args).put("maxAttempts", 1))
      .getLong("id");
    JsonObject done = JobsApi.awaitState(service, id, "completed", "discarded");
    assertThat(done.getString("state")).as("errors: %s", done.getJsonArray("errors")).isEqualTo("completed");
    assertThat(done.getInteger("attempt")).isEqualTo(1);
    return done;
  }
}
