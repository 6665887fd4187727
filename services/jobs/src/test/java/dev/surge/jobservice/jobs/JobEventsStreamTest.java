package dev.surge.jobservice.jobs;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class JobEventsStreamTest {

  @RegisterExtension
  static final TestService service = JobsApi.perClass();
  private static Vertx vertx;
  private static HttpClient client;

  @BeforeAll
  static void client() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
  }

  @AfterAll
  static void close() {
    await(vertx.close());
  }

  @Test
  void stateAndProgressArriveInOrderAndTheStreamEndsWithTheJob() {
    service.postJson("/queues/reports/pause", new JsonObject());
    long id = JobsApi.enqueue(service, new JsonObject().put("type", "sleep").put("queue", "reports")
      .put("args", new JsonObject().put("ms", 500).put("steps", 5))).getLong("id");

    Open open = open("/jobs/" + id + "/events"); // the stream has begun: now let the job run
    service.postJson("/queues/reports/resume", new JsonObject());
    Stream stream = read(open);
    assertThat(stream.contentType).startsWith("text/event-stream");
    List<JsonObject> events = stream.events;
    List<String> states = events.stream().map(e -> e.getString("state")).toList();
    assertThat(states.getFirst()).isEqualTo("available");
    assertThat(states.getLast()).isEqualTo("completed");
    List<Integer> percents = events.stream().filter(e -> e.containsKey("progress") && "running".equals(e.getString("state")))
      .map(e -> e.getJsonObject("progress").getInteger("percent")).toList();
    assertThat(percents).containsExactly(20, 40, 60, 80, 100);
    assertThat(stream.names).contains("state", "progress");
    assertThat(stream.ids).isSorted().doesNotHaveDuplicates();
    assertThat(states).containsSubsequence("available", "running", "completed");
  }

  @Test
  void aFinishedJobStreamsItsFinalStateAndEnds() {
    long id = JobsApi.enqueue(service, new JsonObject().put("type", "noop")).getLong("id");
    JobsApi.awaitState(service, id, "completed");
    Stream stream = read(open("/jobs/" + id + "/events"));
    assertThat(stream.events).hasSize(1);
    assertThat(stream.events.getFirst().getString("state")).isEqualTo("completed");
  }

  @Test
  void aMissingJobIs404BeforeAnyStream() {
    Problems.assertProblem(service.get("/jobs/777777/events"), 404, "not-found");
  }

  record Stream(String contentType, List<String> names, List<Long> ids, List<JsonObject> events) {
  }

  /** The response has begun (its headers and first event were sent); its body is collected from the first byte. */
  record Open(HttpClientResponse response, io.vertx.core.Future<io.vertx.core.buffer.Buffer> body) {
  }

  private static Open open(String path) {
    return await(client.request(HttpMethod.GET, service.port(), "127.0.0.1", path)
      .compose(request -> request.putHeader("Accept", "text/event-stream").send())
      .map(response -> new Open(response, response.body())));
  }

  private static Stream read(Open open) {
    HttpClientResponse response = open.response();
    String body = await(open.body()).toString();
    List<String> names = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    List<JsonObject> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          names.add(line.substring(7));
        } else if (line.startsWith("id: ")) {
          ids.add(Long.parseLong(line.substring(4)));
        } else if (line.startsWith("data: ")) {
          events.add(new JsonObject(line.substring(6)));
        }
      }
    }
    return new Stream(response.getHeader("Content-Type"), names, ids, events);
  }
}
