package dev.surge.contract;

import dev.surge.ServiceDefinition;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The test client holds every answer to the service's contract: an answer whose body the contract describes
 * otherwise fails the request that got it, saying where, so every test of a service is a contract test too.
 */
class AnAnswerTheContractDoesNotDescribeFailsTheRequestInTestsTest {

  @Test
  void aStringWhereTheContractSaysIntegerFails() {
    ServiceDefinition definition = ServiceDefinition.builder("wrong-type")
      .contract("openapi/echo-with-a-wrong-type.json")
      .http(ctx -> router -> router.get("/echo/:id").handler(rc -> rc.json(Map.of("id", rc.pathParam("id")))))
      .build();

    try (TestService service = TestService.start(definition)) {
      assertThatThrownBy(() -> service.get("/echo/abc"))
        .hasMessageContaining("getEcho")
        .hasMessageContaining("/id");
      assertThat(service.get("/no/such/path").statusCode()).as("no operation there: not checked").isEqualTo(404);
    }
  }

  @Test
  void aBugsFiveHundredFailsThoughTheDefaultProblemWouldTakeIt() {
    ServiceDefinition definition = ServiceDefinition.builder("a-bug")
      .contract("openapi/echo-with-a-wrong-type.json")
      .http(ctx -> router -> router.get("/echo/:id").handler(rc -> {
        throw new IllegalStateException("a bug");
      }))
      .build();

    try (TestService service = TestService.start(definition)) {
      assertThatThrownBy(() -> service.get("/echo/1")).hasMessageContaining("a 500 the contract does not name");
    }
  }
}
