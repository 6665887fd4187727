package dev.surge.contract;

import dev.surge.ServiceDefinition;
import dev.surge.http.ApiContract;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up comparison of routes and contract reads a route as Vert.x matches it: a path also serves itself with
 * a last slash, a prefix ({@code /x/*}, static files) is no operation, and a service may serve the chassis's
 * {@value ApiContract#PATH} in its own way (the gateway's aggregate), which the chassis then leaves to it.
 */
class TheRoutesAreReadAsVertxMatchesThemTest {

  private static ServiceDefinition pages() {
    return ServiceDefinition.builder("pages")
      .contract("openapi/pages.json")
      .http(ctx -> router -> {
        router.get("/pages").handler(rc -> rc.response().end("index"));
        router.get("/pages/files/*").handler(rc -> rc.response().end("a file"));
        router.get(ApiContract.PATH).handler(rc -> rc.json(new JsonObject().put("servedBy", "the service")));
      })
      .build();
  }

  @Test
  void aPathWithItsLastSlashAndAPrefixAgreeWithTheContract() {
    try (TestService service = TestService.start(pages())) {
      assertThat(service.get("/pages/").bodyAsString()).isEqualTo("index");
      assertThat(service.get("/pages/files/a.css").bodyAsString()).isEqualTo("a file");
    }
  }

  @Test
  void theContractPathAServiceServesItselfIsAnsweredByTheService() {
    try (TestService service = TestService.start(pages())) {
      assertThat(service.get(ApiContract.PATH).bodyAsJsonObject().getString("servedBy")).isEqualTo("the service");
    }
  }
}
