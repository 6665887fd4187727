package dev.surge.jobservice.jobs;

import dev.surge.pg.JobsComponent;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.jobs.QueueInfo;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The jobs API serves the jobs service's own jobs and queues; orders' jobs in the same table are not there. */
class JobsApiCannotSeeOtherServicesJobsTest {

  @RegisterExtension
  static final TestService service = JobsApi.perClass();

  @Test
  void anotherServicesJobIs404EverywhereAndStaysAsItWas() {
    JobQueue orders = JobsApi.otherService(service, "orders");
    Job release = await(orders.enqueue(new JobRequest("order.release",
      new JsonObject().put("orderId", UUID.randomUUID().toString())).setQueue("orders")));

    Problems.assertProblem(service.get("/jobs/" + release.id()), 404, "not-found");
    Problems.assertProblem(service.postJson("/jobs/" + release.id() + "/cancel", new JsonObject()), 404, "not-found");
    Problems.assertProblem(service.postJson("/jobs/" + release.id() + "/retry", new JsonObject()), 404, "not-found");
    Problems.assertProblem(service.get("/jobs/" + release.id() + "/events"), 404, "not-found");
    assertThat(service.get("/jobs?limit=500").bodyAsJsonObject().getJsonArray("items").stream()
      .map(j -> ((JsonObject) j).getLong("id"))).doesNotContain(release.id());
    assertThat(service.get("/jobs?queue=orders").bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertThat(service.get("/jobs?type=order.release").bodyAsJsonObject().getJsonArray("items")).isEmpty();

    assertThat(await(orders.get(release.id())).state()).as("not cancelled").isEqualTo(JobState.AVAILABLE);
  }

  @Test
  void theJobsReportListsNoOtherServicesJob() throws Exception {
    JobQueue orders = JobsApi.otherService(service, "orders");
    Job release = await(orders.enqueue(new JobRequest("order.release",
      new JsonObject().put("orderId", UUID.randomUUID().toString())).setQueue("orders")));

    long id = JobsApi.enqueue(service, new JsonObject().put("type", "report.export")
      .put("args", new JsonObject().put("report", "jobs")).put("queue", "reports")).getLong("id");
    JsonObject done = JobsApi.awaitState(service, id, "completed");
    java.nio.file.Path file = java.nio.file.Path.of(service.running().context().config()
      .get(dev.surge.jobservice.JobsMain.DATA_DIR)).resolve(done.getJsonObject("result").getString("file"));
    java.util.List<String> ids = java.nio.file.Files.readAllLines(file).stream().skip(1)
      .map(line -> line.substring(0, line.indexOf(','))).toList();
    assertThat(ids).contains(String.valueOf(id)).doesNotContain(String.valueOf(release.id()));
  }

  @Test
  void anotherServicesQueueIs404AndIsNotPaused() {
    JobQueue orders = JobsApi.otherService(service, "orders");
    await(orders.enqueue(new JobRequest("order.fulfil").setQueue("orders")));

    Problems.assertProblem(service.postJson("/queues/orders/pause", new JsonObject()), 404, "not-found");
    Problems.assertProblem(service.postJson("/queues/orders/resume", new JsonObject()), 404, "not-found");
    assertThat(service.get("/queues").bodyAsJsonObject().getJsonArray("items").stream()
      .map(q -> ((JsonObject) q).getString("name"))).containsExactlyInAnyOrder("default", "reports");
    assertThat(await(orders.queues()).stream().filter(q -> q.name().equals("orders")).map(QueueInfo::paused))
      .containsExactly(false);
  }

  @Test
  void aQueueNoServiceRunsIs404AndNothingIsStoredForIt() {
    Problems.assertProblem(service.postJson("/queues/made-up/pause", new JsonObject()), 404, "not-found");
    assertThat(await(JobsComponent.queue(service.running().context()).queues()).stream().map(QueueInfo::name))
      .doesNotContain("made-up");
  }
}
