package dev.surge.jobservice.jobs;

import dev.surge.jobservice.JobsMain;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Args over jobs.maxArgsSize are a 413 and stored nowhere; a page of GET /jobs holds at most 8 MiB of args and
 * results (each job up to jobs.maxArgsSize and jobs.maxResultSize).
 */
class OversizedArgumentsAreRefusedTest {

  @RegisterExtension
  static final TestService service = start();

  private static TestService start() {
    try {
      return TestService.perClass(JobsMain.definition(), Map.of(
        "jobs.dataDir", Files.createTempDirectory("surge-jobs-api").toString(),
        "jobs.maxArgsSize", "1MiB",
        "http.maxBodySize", "4MiB"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void argsOverTheLimitAre413AndNothingIsStored() {
    JsonObject body = new JsonObject().put("type", "sleep")
      .put("args", new JsonObject().put("ms", 1).put("pad", "x".repeat(1024 * 1024)));

    JsonObject problem = Problems.assertProblem(service.postJson("/jobs", body), 413, "payload-too-large");
    assertThat(problem.getString("detail")).contains("jobs.maxArgsSize");
    assertThat(service.get("/jobs?type=sleep").bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void aPageHoldsNoMoreJobsThanItsByteBudgetAllowsAndNextGoesOn() {
    for (int i = 0; i < 10; i++) {
      JobsApi.enqueue(service, new JsonObject().put("type", "noop").put("runAt", "2099-01-01T00:00:00Z"));
    }
    JsonObject first = service.get("/jobs?type=noop&limit=500").bodyAsJsonObject();
    assertThat(first.getJsonArray("items")).as("8 MiB / (1 MiB of args and 64 KiB of result) a job").hasSize(7);
    assertThat(first.getString("next")).contains("limit=7");

    JsonObject second = service.get(first.getString("next")).bodyAsJsonObject();
    assertThat(second.getJsonArray("items")).hasSize(3);
    assertThat(second.getValue("next")).isNull();
  }
}
