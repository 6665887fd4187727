package dev.surge.contract;

import dev.surge.ServiceDefinition;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A route the contract does not describe, or an operation no route serves, stops the service at start, naming each:
 * so no build passes with a contract that is not the API (every test that starts the service checks it).
 */
class AServiceWhoseRoutesDifferFromItsContractDoesNotStartTest {

  @Test
  void eachDifferenceIsNamed() {
    ServiceDefinition definition = ServiceDefinition.builder("differs")
      .contract("openapi/echo-missing-a-route.json")
      .http(ctx -> router -> {
        router.get("/echo/:id").handler(rc -> rc.json(Map.of("id", rc.pathParam("id"))));
        router.post("/echo").handler(rc -> rc.response().end());
      })
      .build();

    assertThatThrownBy(() -> TestService.start(definition).close())
      .hasMessageContaining("served, not in the contract: POST /echo")
      .hasMessageContaining("in the contract, not served: DELETE /gone")
      .hasMessageNotContaining("GET /echo/{id}");
  }

  @Test
  void aContractCannotDescribeTheChassisPathsAsItsOwn() {
    assertThatThrownBy(() -> ServiceDefinition.builder("chassis-path")
      .contract("openapi/defines-a-chassis-path.json").http(ctx -> router -> { }).build())
      .hasMessageContaining("/health/ready");
  }

  @Test
  void aContractThatIsNotOnTheClassPathIsNamed() {
    assertThatThrownBy(() -> ServiceDefinition.builder("no-contract")
      .contract("openapi/nowhere.json").http(ctx -> router -> { }).build())
      .hasMessageContaining("openapi/nowhere.json");
  }
}
