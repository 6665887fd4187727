package dev.surge.jobs;

import dev.surge.pg.JobsComponent;
import dev.surge.pg.PostgresComponent;
import dev.surge.ServiceDefinition;
import dev.surge.testing.CapturedLog;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job type's secret arguments reach its handler whole, and nothing else: the jobs the queue gives back, the
 * errors and progress it stores, the events it publishes and the lines it logs have them masked.
 */
class SecretArgumentsAreMaskedTest {

  private static final String TOKEN = "tok-9c1e77-secret";
  private static final String PASSWORD = "hunter2-but-longer";
  private static final Queue<String> seenByHandler = new ConcurrentLinkedQueue<>();

  @RegisterExtension
  static final TestService service = TestService.perClass(ServiceDefinition.builder("secrettest")
    .defaultPort(0)
    .http(ctx -> router -> router.get("/").handler(rc -> rc.end("secrets under test")))
    .use(PostgresComponent.create()).use(JobsComponent.of((ctx, jobs) -> jobs.register("test.secret", ThreadingModel.EVENT_LOOP, job -> {
      seenByHandler.add(job.args().getString("token"));
      return job.progress(50, "calling with " + job.args().getString("token"))
        .compose(v -> Future.failedFuture(new IllegalStateException("refused: token " + job.args().getString("token")
          + " for " + job.args().getJsonObject("auth").getString("password"))));
    }, SecretArgs.of("token", "auth.*"))
      .register("test.wordy", ThreadingModel.EVENT_LOOP, job -> job.progress(1, "x".repeat(490) + job.args()
          .getString("token"))
        .compose(v -> Future.failedFuture(new IllegalStateException("y".repeat(5000)))), SecretArgs.of("token"))))
    .build(), TestJobs.FAST);

  @Test
  void theHandlerSeesTheSecretsAndNothingElseDoes() {
    JobQueue jobs = TestJobs.jobs(service);
    try (CapturedLog log = CapturedLog.of("dev.surge.jobs")) {
      await(jobs.pause("default"));
      Job enqueued = await(jobs.enqueue(new JobRequest("test.secret", new JsonObject().put("token", TOKEN)
        .put("auth", new JsonObject().put("user", "ann").put("password", PASSWORD)).put("region", "eu-west"))
        .setMaxAttempts(1)));
      Queue<JsonObject> events = new ConcurrentLinkedQueue<>();
      MessageConsumer<JsonObject> consumer = service.running().context().vertx().eventBus()
        .localConsumer(JobQueue.eventsAddress(enqueued.id()), m -> events.add(m.body()));
      await(jobs.resume("default"));
      Job job = TestJobs.awaitState(jobs, enqueued.id(), JobState.DISCARDED);
      consumer.unregister();

      assertThat(seenByHandler).contains(TOKEN);
      for (Job given : List.of(enqueued, job)) {
        assertThat(given.args()).isEqualTo(new JsonObject().put("token", "***")
          .put("auth", new JsonObject().put("user", "***").put("password", "***")).put("region", "eu-west"));
      }
      assertThat(job.errors().encode()).contains("refused: token *** for ***");
      assertThat(job.progressMessage()).isEqualTo("calling with ***");
      assertThat(events).isNotEmpty()
        .allSatisfy(e -> assertThat(e.encode()).doesNotContain(TOKEN).doesNotContain(PASSWORD));
      List<String> logged = log.lines();
      assertThat(logged).anySatisfy(line -> assertThat(line).contains("Job " + job.id() + " (test.secret)"));
      assertThat(logged).noneSatisfy(line -> assertThat(line).containsAnyOf(TOKEN, PASSWORD));
      assertThat(await(jobs.list(new JobQuery(null, null, "test.secret", 10, null))).jobs())
        .allSatisfy(j -> assertThat(j.args().encode()).doesNotContain(TOKEN));
    }
  }

  @Test
  void aSecretIsMaskedBeforeALongMessageIsCutAndErrorsAreCut() {
    JobQueue jobs = TestJobs.jobs(service);
    long id = await(jobs.enqueue(new JobRequest("test.wordy", new JsonObject().put("token", TOKEN))
      .setMaxAttempts(1))).id();
    Job job = TestJobs.awaitState(jobs, id, JobState.DISCARDED);

    assertThat(job.progressMessage()).hasSizeLessThanOrEqualTo(500).doesNotContain(TOKEN.substring(0, 4));
    assertThat(job.errors().getJsonObject(0).getString("error")).hasSize(2000);
  }

  @Test
  void pathsNameArgumentsNestedAndEveryMemberOfAnObject() {
    SecretArgs secrets = SecretArgs.of("headers.*", "db.password");
    JsonObject args = new JsonObject().put("url", "https://example.com")
      .put("headers", new JsonObject().put("Authorization", "Bearer abc123").put("X-Key", new JsonObject().put("a", 1)))
      .put("db", new JsonObject().put("user", "app").put("password", "pw-long-enough"));

    assertThat(secrets.redact(args)).isEqualTo(new JsonObject().put("url", "https://example.com")
      .put("headers", new JsonObject().put("Authorization", "***").put("X-Key", "***"))
      .put("db", new JsonObject().put("user", "app").put("password", "***")));
    assertThat(args.getJsonObject("headers").getString("Authorization")).as("unchanged").isEqualTo("Bearer abc123");
    assertThat(secrets.scrub(args, "sent Bearer abc123 as app with pw-long-enough"))
      .isEqualTo("sent *** as app with ***");
    assertThat(SecretArgs.NONE.redact(args)).isSameAs(args);
  }
}
