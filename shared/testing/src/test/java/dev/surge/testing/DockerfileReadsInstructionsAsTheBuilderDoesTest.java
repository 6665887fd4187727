package dev.surge.testing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Dockerfile checks read it as the builder does: stages, continued lines, comments, ARG and ENV. */
class DockerfileReadsInstructionsAsTheBuilderDoesTest {

  @Test
  void stagesContinuedLinesAndVariables() {
    Dockerfile file = Dockerfile.parse("""
      # a comment
      FROM maven:3 AS build
      ARG MODULES=a,b
      RUN one \\
       # a comment inside
       && two

      FROM jre:21
      ARG SERVICE
      ENV HTTP_PORT=${HTTP_PORT} \\
          QUOTED="a b" \\
          EMPTY=
      user surge
      USER app
      """);
    assertThat(file.stages()).hasSize(2);
    assertThat(file.stage("build").argDefault("MODULES")).isEqualTo("a,b");
    assertThat(file.stage("build").all("RUN")).containsExactly("one && two");
    assertThat(file.runtime().from()).isEqualTo("jre:21");
    assertThat(file.runtime().argDefault("SERVICE")).isNull();
    assertThat(file.runtime().env()).isEqualTo(Map.of("HTTP_PORT", "${HTTP_PORT}", "QUOTED", "a b", "EMPTY", ""));
    assertThat(file.runtime().last("USER")).isEqualTo("app");
    assertThat(file.runtime().all("USER")).hasSize(2);
  }
}
