package dev.surge.jobservice.jobs;

import dev.surge.jobs.Job;
import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobRequest;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client of the jobs API who takes the unique key orders gives an order's stock release ({@code release:<id>})
 * does not stop that release: unique keys hold per owning service.
 */
class UniqueKeysCannotBeSquattedTest {

  @RegisterExtension
  static final TestService service = JobsApi.perClass();

  @Test
  void aJobsApiClientCannotTakeAKeyOrdersUses() {
    String key = "release:" + UUID.randomUUID();
    JsonObject squatter = JobsApi.enqueue(service, new JsonObject().put("type", "noop")
      .put("runAt", "2099-01-01T00:00:00Z").put("uniqueKey", key));

    JobQueue orders = JobsApi.otherService(service, "orders");
    Job release = await(orders.enqueue(new JobRequest("order.release").setQueue("orders").setUniqueKey(key)));

    assertThat(release.duplicate()).as("orders' release was enqueued, not answered with the squatter's job").isFalse();
    assertThat(release.id()).isNotEqualTo(squatter.getLong("id"));
    assertThat(release.type()).isEqualTo("order.release");
  }

  @Test
  void aKeyStillHoldsWithinOneService() {
    String key = "release:" + UUID.randomUUID();
    JobQueue orders = JobsApi.otherService(service, "orders");
    Job first = await(orders.enqueue(new JobRequest("order.release").setQueue("orders").setUniqueKey(key)));
    Job again = await(orders.enqueue(new JobRequest("order.release").setQueue("orders").setUniqueKey(key)));
    assertThat(again.duplicate()).isTrue();
    assertThat(again.id()).isEqualTo(first.id());

    JsonObject body = new JsonObject().put("type", "noop").put("runAt", "2099-01-01T00:00:00Z").put("uniqueKey", key);
    long mine = JobsApi.enqueue(service, body).getLong("id");
    var second = service.postJson("/jobs", body);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject().getLong("id")).isEqualTo(mine);
  }
}
