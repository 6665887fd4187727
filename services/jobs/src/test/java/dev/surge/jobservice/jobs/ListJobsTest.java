package dev.surge.jobservice.jobs;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ListJobsTest {

  @RegisterExtension
  static final TestService service = JobsApi.perClass();
  private static final List<Long> scheduled = new ArrayList<>();

  @BeforeAll
  static void jobs() {
    for (int i = 0; i < 5; i++) {
      scheduled.add(JobsApi.enqueue(service, new JsonObject().put("type", "noop").put("queue", "reports")
        .put("runAt", "2031-01-01T00:00:00Z")).getLong("id"));
    }
    long done = JobsApi.enqueue(service, new JsonObject().put("type", "noop")).getLong("id");
    JobsApi.awaitState(service, done, "completed");
  }

  @Test
  void jobsAreListedNewestFirstInPagesFollowingTheNextLink() {
    JsonObject first = service.get("/jobs?state=scheduled&limit=2").bodyAsJsonObject();
    List<Long> seen = new ArrayList<>(ids(first.getJsonArray("items")));
    String next = first.getString("next");
    while (next != null) {
      JsonObject page = service.get(next).bodyAsJsonObject();
      seen.addAll(ids(page.getJsonArray("items")));
      next = page.getString("next");
    }
    assertThat(seen).containsExactlyElementsOf(scheduled.reversed());
  }

  @Test
  void filtersByStateQueueAndType() {
    assertThat(ids(service.get("/jobs?state=completed").bodyAsJsonObject().getJsonArray("items"))).hasSize(1);
    assertThat(ids(service.get("/jobs?queue=reports&type=noop").bodyAsJsonObject().getJsonArray("items"))).hasSize(5);
    assertThat(ids(service.get("/jobs?type=sleep").bodyAsJsonObject().getJsonArray("items"))).isEmpty();
  }

  @Test
  void badFiltersAre400() {
    Problems.assertProblem(service.get("/jobs?state=done"), 400, "validation-failed");
    Problems.assertProblem(service.get("/jobs?limit=0"), 400, "validation-failed");
    Problems.assertProblem(service.get("/jobs?limit=501"), 400, "validation-failed");
    Problems.assertProblem(service.get("/jobs?cursor=bm9wZQ"), 400, "validation-failed");
    Problems.assertProblem(service.get("/jobs?queue=NOT%20A%20QUEUE"), 400, "validation-failed");
  }

  @Test
  void aMissingJobIs404AndABadIdIs400() {
    Problems.assertProblem(service.get("/jobs/424242"), 404, "not-found");
    Problems.assertProblem(service.get("/jobs/abc"), 400, "validation-failed");
  }

  private static List<Long> ids(JsonArray items) {
    List<Long> ids = new ArrayList<>();
    items.forEach(item -> ids.add(((JsonObject) item).getLong("id")));
    return ids;
  }
}
