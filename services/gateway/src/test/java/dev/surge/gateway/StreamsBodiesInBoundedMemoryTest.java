package dev.surge.gateway;

import dev.surge.net.FreePorts;
import dev.surge.testing.ServiceProcess;
import dev.surge.testing.ServiceProcesses;
import dev.surge.testing.SurgeTestEnvironment;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as a process of its own with a 64 MiB heap, 256 MiB going up through it and 256 MiB coming down:
 * had it held a body whole, it would have run out of memory.
 */
class StreamsBodiesInBoundedMemoryTest {

  private static final long MIB = 1024 * 1024;

  @Test
  void bodiesFourTimesItsHeapPassThroughTheGatewayBothWays() throws Exception {
    int port = FreePorts.pick();
    Vertx vertx = Vertx.vertx();
    try (Replicas replicas = new Replicas(); ServiceProcess gateway = ServiceProcess.start(GatewayMain.class, Map.of(
      "JAVA_TOOL_OPTIONS", "-Xmx64m -XX:+ExitOnOutOfMemoryError",
      "SURGE_HTTP_PORT", Integer.toString(port), "SURGE_REDIS_URL", SurgeTestEnvironment.redisUrl(),
      "SURGE_GATEWAY_UPSTREAMS_CATALOG", replicas.start("sink"), "SURGE_GATEWAY_UPSTREAMS_ORDERS", "",
      "SURGE_GATEWAY_UPSTREAMS_JOBS", "", "SURGE_LOG_ACCESS", "off"))) {
      ServiceProcesses.awaitReady(WebClient.create(vertx), port, gateway);
      HttpClient client = vertx.createHttpClient();

      long up = 256 * MIB;
      HttpClientRequest upload = await(client.request(new RequestOptions().setMethod(HttpMethod.PUT)
        .setHost("127.0.0.1").setPort(port).setURI("/api/catalog/upload")));
      upload.setChunked(true).putHeader("Content-Type", "application/octet-stream");
      Promise<String> answered = Promise.promise();
      upload.response().compose(r -> r.body()).map(Buffer::toString).onComplete(answered);
      Replicas.writeBytes(upload, up);
      assertThat(await(answered.future())).isEqualTo("sink " + up);

      AtomicLong down = new AtomicLong();
      HttpClientRequest download = await(client.request(new RequestOptions().setMethod(HttpMethod.GET)
        .setHost("127.0.0.1").setPort(port).setURI("/api/catalog/big?mb=256")));
      await(download.send().compose(response -> {
        response.handler(chunk -> down.addAndGet(chunk.length()));
        return response.end();
      }));
      assertThat(down.get()).isEqualTo(256 * MIB);
      assertThat(gateway.alive()).as(gateway.output()).isTrue();
    } finally {
      await(vertx.close());
    }
  }
}
