package dev.surge.testing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compose checks read the file as {@code docker compose up} does with no variable set. */
class ComposeFileReadsVariablesAsComposeDoesTest {

  @Test
  void defaultsMergeKeysAndBothEnvironmentForms() {
    ComposeFile compose = ComposeFile.parse("""
      x-base: &base
        restart: unless-stopped
      services:
        web:
          <<: *base
          build: {context: ., args: {SERVICE: web, HTTP_PORT: "8080"}}
          ports: ["${WEB_PUBLISH:-8080}:8080", "${OTHER-127.0.0.1:9}:9", "$$HOME", "${UNSET}x"]
          environment: [SURGE_A=1, SURGE_B]
        db:
          image: postgres:17
          environment: {SURGE_HTTP_PORT: 9000}
          depends_on: [web]
      """);
    ComposeService web = compose.service("web");
    assertThat(web.get("restart")).isEqualTo("unless-stopped");
    assertThat(web.get("ports")).isEqualTo(List.of("8080:8080", "127.0.0.1:9:9", "$HOME", "x"));
    assertThat(web.environment()).isEqualTo(Map.of("SURGE_A", "1", "SURGE_B", ""));
    assertThat(web.buildArg("SERVICE")).isEqualTo("web");
    assertThat(web.httpPort()).isEqualTo(8080);
    assertThat(web.dockerfile()).isEqualTo("./Dockerfile");
    assertThat(compose.surgeServices()).extracting(ComposeService::name).containsExactly("web");
    assertThat(compose.service("db").httpPort()).as("SURGE_HTTP_PORT first").isEqualTo(9000);
    assertThat(compose.service("db").dependsOn()).isEqualTo(Map.of("web", "service_started"));
  }

  @Test
  void aRequiredVariableStopsTheRead() {
    assertThatThrownBy(() -> ComposeFile.parse("services: {a: {image: \"${TAG:?set TAG}\"}}"))
      .hasMessageContaining("TAG");
  }
}
