package dev.surge.jobservice.jobs;

import dev.surge.pg.PostgresComponent;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An enqueue that gets no connection before its answer falls due (the test holds the pool's two) is answered 503
 * not-stored-in-time, and it is true: once the connections are free, the enqueue still stores nothing.
 */
class AnEnqueueAnswered503StoredNothingTest {

  @RegisterExtension
  static final TestService service = JobsApi.perClass(Map.of("pg.poolSize", "2", "http.requestTimeout", "1s"));

  @Test
  void anEnqueueWithNoConnectionInTimeIsNeverStored() {
    Pool pool = PostgresComponent.pool(service.running().context());
    List<SqlConnection> held = List.of(await(pool.getConnection()), await(pool.getConnection()));
    HttpResponse<Buffer> answer = service.postJson("/jobs", new JsonObject().put("type", "noop"));
    held.forEach(SqlConnection::close);
    // The pool serves its waiters in turn: once both connections are had again, whatever waited before has run.
    List.of(await(pool.getConnection()), await(pool.getConnection())).forEach(SqlConnection::close);

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(service.get("/jobs").bodyAsJsonObject().getJsonArray("items")).as("nothing stored").isEmpty();
    Problems.assertProblem(answer, 503, "not-stored-in-time");
    assertThat(answer.getHeader("Retry-After")).isNotBlank();
  }
}
