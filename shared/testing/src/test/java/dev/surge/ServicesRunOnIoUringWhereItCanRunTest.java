package dev.surge;

import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code vertx.transport}: by default a service takes io_uring where the kernel lets it create one (this machine's
 * does) and Java's NIO elsewhere; either way it serves HTTP, PostgreSQL and Redis.
 */
class ServicesRunOnIoUringWhereItCanRunTest {

  @Test
  void byDefaultAServiceServesOnIoUringWhereTheKernelAllowsIt() {
    assumeTrue(Transport.IO_URING.available(), () -> "io_uring cannot run here: " + NetworkTransport.unavailability());
    try (TestService service = TestService.start(EchoService.definition(), Map.of())) {
      assertThat(transportOf(service.running().vertx())).isEqualTo(Transport.IO_URING.name());
      servesHttpPostgresAndRedis(service);
    }
  }

  @Test
  void nioCanBeChosen() {
    try (TestService service = TestService.start(EchoService.definition(), Map.of("vertx.transport", "nio"))) {
      assertThat(transportOf(service.running().vertx())).isEqualTo(Transport.NIO.name());
      servesHttpPostgresAndRedis(service);
    }
  }

  @Test
  void anUnknownTransportIsRefusedAtStart() {
    assertThatThrownBy(() -> TestService.start(EchoService.definition(), Map.of("vertx.transport", "epoll")))
      .hasStackTraceContaining("vertx.transport");
  }

  @Test
  void autoFallsBackToNioAndIoUringInsistsWhereItCannotRun() {
    assumeTrue(!Transport.IO_URING.available(), "io_uring runs here");
    assertThat(NetworkTransport.choose("auto")).isEqualTo(Transport.NIO);
    assertThatThrownBy(() -> NetworkTransport.choose("io_uring")).hasMessageContaining("cannot run here");
  }

  private static String transportOf(Vertx vertx) {
    Class<?> running = ((VertxInternal) vertx).transport().getClass();
    for (Transport candidate : new Transport[] {Transport.IO_URING, Transport.NIO}) {
      if (candidate.available() && candidate.implementation().getClass() == running) {
        return candidate.name();
      }
    }
    return running.getName();
  }

  private static void servesHttpPostgresAndRedis(TestService service) {
    var echoed = service.postJson("/echo", new io.vertx.core.json.JsonObject().put("name", "ring"));
    assertThat(echoed.statusCode()).isEqualTo(201);
    assertThat(echoed.bodyAsJsonObject().getString("name")).isEqualTo("ring");
    var ready = service.get("/health/ready");
    assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    assertThat(ready.bodyAsString()).contains("postgres").contains("redis").doesNotContain("degraded");
  }
}
