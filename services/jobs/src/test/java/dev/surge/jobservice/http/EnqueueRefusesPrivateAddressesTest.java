package dev.surge.jobservice.http;

import dev.surge.jobservice.JobRuns;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /jobs} answers 400 for an {@code http.request} URL whose host alone shows it is not public, and
 * stores nothing. (Each job asks to run in 2100, so that none would run here even if one were stored.)
 */
class EnqueueRefusesPrivateAddressesTest {

  private static final Path DATA = JobRuns.newDataDir();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of());

  @AfterAll
  static void deleteData() {
    JobRuns.deleteTree(DATA);
  }

  @Test
  void aLiteralAddressThatIsNotPublicIs400NamingTheUrl() {
    for (String host : List.of("127.0.0.1", "127.9.9.9", "localhost", "api.localhost", "[::1]", "[::ffff:127.0.0.1]",
      "[::127.0.0.1]", "169.254.169.254", "[fe80::1]", "10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1",
      "[fd00::1]", "224.0.0.1", "0.0.0.0", "[::]", "255.255.255.255", "[2002:7f00:1::]", "[64:ff9b::a9fe:a9fe]",
      "2130706433", "0177.0.0.1", "0x7f000001")) {
      var response = service.postJson("/jobs", job("http://" + host + ":8083/queues"));

      Problems.assertProblem(response, 400, "validation-failed");
      assertThat(urlError(response.bodyAsJsonObject())).as(host).startsWith("is refused: ");
    }
    assertThat(service.get("/jobs?limit=500").bodyAsJsonObject().getJsonArray("items").stream()
      .map(JsonObject.class::cast).map(j -> j.getJsonObject("args").getString("url")))
      .as("nothing stored").noneMatch(url -> url.endsWith(":8083/queues"));
  }

  @Test
  void aPublicAddressOrANameIsAccepted() {
    assertThat(service.postJson("/jobs", job("https://203.0.113.7/hook")).statusCode()).isEqualTo(201);
    assertThat(service.postJson("/jobs", job("https://hooks.example.com/hook")).statusCode()).isEqualTo(201);
  }

  private static JsonObject job(String url) {
    return new JsonObject().put("type", "http.request").put("args", new JsonObject().put("url", url))
      .put("runAt", "2100-01-01T00:00:00Z");
  }

  private static String urlError(JsonObject problem) {
    return problem.getJsonArray("errors").stream().map(JsonObject.class::cast)
      .filter(e -> e.getString("field").equals("args.url")).map(e -> e.getString("message"))
      .findFirst().orElse("");
  }
}
