package dev.surge.arbiter;

import dev.surge.pg.PostgresComponent;
import dev.surge.redis.RedisComponent;
import dev.surge.ServiceDefinition;
import dev.surge.config.ConfigException;
import dev.surge.net.FreePorts;
import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin API's guard and its answers to bad requests: each a problem, nothing changed. */
class AdminApiTest {

  private static final String TOKEN = "a-long-enough-admin-token";

  @Test
  void boundOffLoopbackWithoutATokenTheServiceRefusesToStart() {
    assertThatThrownBy(() -> TestService.start(EchoService.definition(), Map.of("admin.port", FreePorts.pick(),
      "admin.host", "0.0.0.0")))
      .isInstanceOf(ConfigException.class).hasMessageContaining("admin.token");
  }

  @Test
  void offLoopbackEveryRequestNeedsTheToken() {
    int adminPort = FreePorts.pick();
    try (TestService service = TestService.start(EchoService.definition(), Map.of("admin.port", adminPort,
           "admin.host", "0.0.0.0", "admin.token", TOKEN));
         Admin anonymous = new Admin(adminPort);
         Admin wrong = new Admin(adminPort, "not-the-admin-token-at-all");
         Admin operator = new Admin(adminPort, TOKEN)) {
      for (Admin refused : new Admin[]{anonymous, wrong}) {
        HttpResponse<Buffer> instances = refused.get("/admin/instances");
        assertThat(instances.statusCode()).isEqualTo(401);
        assertThat(instances.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(instances.getHeader("WWW-Authenticate")).startsWith("Bearer");
        assertThat(refused.put("/admin/instances/http", "{\"instances\": 3}").statusCode()).isEqualTo(401);
        assertThat(refused.post("/admin/restart").statusCode()).isEqualTo(401);
        assertThat(refused.get("/admin/config").statusCode()).isEqualTo(401);
      }
      assertThat(operator.deployments("serving")).as("nothing changed by the refused requests")
        .hasSize(service.running().context().config().get(dev.surge.config.ChassisKeys.HTTP_INSTANCES));
      assertThat(operator.get("/admin/instances").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void badScalingRequestsAreProblemsAndChangeNothing() {
    int adminPort = FreePorts.pick();
    try (TestService service = TestService.start(EchoService.definition(), Map.of("admin.port", adminPort,
           "http.instances", 2));
         Admin admin = new Admin(adminPort)) {
      assertProblem(admin.put("/admin/instances/http", "{\"instances\": 0}"), 400);
      assertProblem(admin.put("/admin/instances/http", "{\"instances\": 100000}"), 400);
      assertProblem(admin.put("/admin/instances/http", "{\"instances\": \"four\"}"), 400);
      assertProblem(admin.put("/admin/instances/http", "{\"instances\": 2, \"extra\": 1}"), 400);
      assertProblem(admin.put("/admin/instances/http", "{not json"), 400);
      assertProblem(admin.put("/admin/instances/http", "{}"), 400);
      HttpResponse<Buffer> unknown = admin.put("/admin/instances/nosuch", "{\"instances\": 2}");
      assertProblem(unknown, 404);
      assertThat(unknown.bodyAsJsonObject().getString("detail")).contains("echo.http");
      assertProblem(admin.get("/admin/nothing-here"), 404);
      assertProblem(admin.send(adminClientDelete(admin), null), 405);
      assertThat(admin.deployments("serving")).hasSize(2);
    }
  }

  @Test
  void configShowsEffectiveValuesWithSecretsMasked() {
    int adminPort = FreePorts.pick();
    try (TestService service = TestService.start(EchoService.definition(), Map.of("admin.port", adminPort,
           "admin.token", TOKEN, "http.instances", 2));
         Admin admin = new Admin(adminPort, TOKEN)) {
      HttpResponse<Buffer> response = admin.get("/admin/config");
      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject echo = response.bodyAsJsonObject().getJsonObject("services").getJsonObject("echo");
      assertThat(echo.getJsonObject("http.instances").getString("value")).isEqualTo("2");
      assertThat(echo.getJsonObject("admin.token").getString("value")).isEqualTo("****");
      assertThat(response.bodyAsString()).doesNotContain(TOKEN);
    }
  }

  @Test
  void instancesListsTheConsumersAndTheVerticlesItDoesNotSupervise() {
    ServiceDefinition withConsumers = ServiceDefinition.builder("probe")
      .use(PostgresComponent.create()).use(RedisComponent.cache()).defaultPort(8097)
      .eventBus(ctx -> () -> Map.of("probe.ping", message -> message.reply("pong")))
      .onStart(ctx -> ctx.deploy(() -> new io.vertx.core.VerticleBase() { }, new io.vertx.core.DeploymentOptions())
        .mapEmpty())
      .http(ctx -> router -> router.get("/hello").handler(rc -> rc.response().end("hello")))
      .build();
    int adminPort = FreePorts.pick();
    try (TestService service = TestService.start(withConsumers, Map.of("admin.port", adminPort,
           "http.instances", 2));
         Admin admin = new Admin(adminPort)) {
      for (int i = 0; i < 3; i++) {
        assertThat(TestService.await(service.running().vertx().eventBus().request("probe.ping", "x")).body())
          .isEqualTo("pong");
      }
      List<JsonObject> instances = admin.instances().stream().map(JsonObject.class::cast).toList();
      assertThat(instances).filteredOn(i -> "probe.http".equals(i.getString("verticle"))).hasSize(2)
        .allMatch(i -> "serving".equals(i.getString("state")));
      List<JsonObject> consumers = instances.stream().filter(i -> "probe.consumers".equals(i.getString("verticle")))
        .toList();
      assertThat(consumers).hasSize(2).allMatch(i -> "serving".equals(i.getString("state"))
        && i.getInteger("inFlight") == 0 && i.getString("eventLoop").startsWith("vert.x-eventloop-thread"));
      assertThat(consumers.stream().mapToLong(i -> i.getLong("requestsServed")).sum()).isEqualTo(3);
      assertThat(instances).filteredOn(i -> "unsupervised".equals(i.getString("state"))).hasSize(1)
        .allMatch(i -> i.getValue("requestsServed") == null);
    }
  }

  private static io.vertx.ext.web.client.HttpRequest<Buffer> adminClientDelete(Admin admin) {
    return admin.request(io.vertx.core.http.HttpMethod.DELETE, "/admin/instances/http");
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }
}
