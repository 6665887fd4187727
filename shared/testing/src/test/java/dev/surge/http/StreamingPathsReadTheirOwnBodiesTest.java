package dev.surge.http;

import dev.surge.pg.PostgresComponent;
import dev.surge.redis.RedisComponent;
import dev.surge.ServiceDefinition;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streaming path (a proxy, an upload) gets the request body as a stream: the chassis neither reads it into
 * memory nor holds it to http.maxBodySize, which still guards every other path.
 */
class StreamingPathsReadTheirOwnBodiesTest {

  private static TestService service;

  @BeforeAll
  static void start() {
    ServiceDefinition definition = ServiceDefinition.builder("uploads")
      .use(PostgresComponent.create()).use(RedisComponent.cache())
      .streaming("/stream/.*")
      .http(ctx -> router -> {
        router.post("/stream/count").handler(rc -> {
          AtomicLong bytes = new AtomicLong();
          rc.request().handler(chunk -> bytes.addAndGet(chunk.length()));
          rc.request().endHandler(v -> rc.response().end(Long.toString(bytes.get())));
        });
        router.post("/buffered").handler(rc -> rc.response().end(Integer.toString(rc.body().length())));
      })
      .build();
    service = TestService.start(definition, Map.of("http.maxBodySize", "64KiB"));
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void aStreamingPathCountsABodyFarOverTheLimitAsItArrives() {
    String body = "x".repeat(2 * 1024 * 1024);
    var streamed = service.send(HttpMethod.POST, "/stream/count", MultiMap.caseInsensitiveMultiMap()
      .add("Content-Type", "application/octet-stream"), body);
    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(streamed.bodyAsString()).isEqualTo(Integer.toString(body.length()));

    var buffered = service.send(HttpMethod.POST, "/buffered", MultiMap.caseInsensitiveMultiMap()
      .add("Content-Type", "application/octet-stream"), body);
    Problems.assertProblem(buffered, 413, "payload-too-large");
    var small = service.send(HttpMethod.POST, "/buffered", MultiMap.caseInsensitiveMultiMap()
      .add("Content-Type", "application/octet-stream"), "abc");
    assertThat(small.bodyAsString()).isEqualTo("3");
  }
}
