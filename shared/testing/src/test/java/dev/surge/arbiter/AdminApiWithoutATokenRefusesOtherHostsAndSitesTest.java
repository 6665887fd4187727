package dev.surge.arbiter;

import dev.surge.net.FreePorts;
import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.surge.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without admin.token the admin API is safe only while nothing but this machine reaches it: a web page the
 * operator opens must not reach it through a rebound DNS name, nor restart the service with a cross-site POST.
 */
class AdminApiWithoutATokenRefusesOtherHostsAndSitesTest {

  private TestService service;
  private Admin admin;
  private int adminPort;

  @BeforeEach
  void start() {
    adminPort = FreePorts.pick();
    service = TestService.start(EchoService.definition(), Map.of("admin.port", adminPort, "http.instances", 2));
    admin = new Admin(adminPort);
  }

  @AfterEach
  void stop() {
    admin.close();
    service.close();
  }

  @Test
  void aHostThatIsNotLoopbackIsRefusedAndChangesNothing() {
    for (String host : new String[]{"attacker.example:" + adminPort, "attacker.example", "10.0.0.1:" + adminPort}) {
      assertProblem(admin.send(admin.request(HttpMethod.GET, "/admin/config").putHeader("Host", host), null),
        421, "misdirected-request");
      assertProblem(admin.send(admin.request(HttpMethod.POST, "/admin/restart").putHeader("Host", host), null),
        421, "misdirected-request");
      assertProblem(admin.send(scale().putHeader("Host", host), new JsonObject().put("instances", 5)),
        421, "misdirected-request");
    }
    for (String host : new String[]{"localhost:" + adminPort, "127.0.0.1:" + adminPort, "[::1]:" + adminPort,
      "localhost", "127.0.0.1"}) {
      assertThat(admin.send(admin.request(HttpMethod.GET, "/admin/instances").putHeader("Host", host), null)
        .statusCode()).as(host).isEqualTo(200);
    }
    assertThat(admin.deployments("serving")).as("nothing scaled by the refused requests").hasSize(2);
  }

  @Test
  void writesFromAnotherSiteAreRefusedAndThoseFromLoopbackPass() throws InterruptedException {
    List<String> before = admin.deployments("serving");
    assertProblem(admin.send(admin.request(HttpMethod.POST, "/admin/restart")
      .putHeader("Origin", "https://attacker.example"), null), 403, "forbidden");
    assertProblem(admin.send(admin.request(HttpMethod.POST, "/admin/restart").putHeader("Origin", "null"), null),
      403, "forbidden");
    assertProblem(admin.send(admin.request(HttpMethod.POST, "/admin/restart")
      .putHeader("Sec-Fetch-Site", "cross-site"), null), 403, "forbidden");
    assertProblem(admin.send(scale().putHeader("Origin", "http://localhost.attacker.example"),
      new JsonObject().put("instances", 5)), 403, "forbidden");
    assertProblem(admin.send(scale().putHeader("Origin", "http://localhost:3000"), // another page on this machine
      new JsonObject().put("instances", 5)), 403, "forbidden");
    assertThat(admin.deployments("serving")).as("no instance replaced or added").isEqualTo(before);

    assertThat(admin.send(scale().putHeader("Origin", "http://localhost:" + adminPort),
      new JsonObject().put("instances", 3)).statusCode()).isEqualTo(200);
    assertThat(admin.send(admin.request(HttpMethod.POST, "/admin/restart")
      .putHeader("Origin", "http://127.0.0.1:" + adminPort).putHeader("Sec-Fetch-Site", "same-origin"), null)
      .statusCode()).as("started").isEqualTo(202);
    admin.awaitRestarted();
    assertThat(admin.deployments("serving")).hasSize(3).doesNotContainAnyElementsOf(before);
  }

  private HttpRequest<Buffer> scale() {
    return admin.request(HttpMethod.PUT, "/admin/instances/http").putHeader("Content-Type", "application/json");
  }
}
