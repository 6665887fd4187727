package dev.surge.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.surge.testing.EchoService;
import dev.surge.testing.RawHttp;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request target whose percent-encoding is broken is the client's mistake: a 400 problem, and nothing above
 * debug in the log (a client sending thousands must not fill it with stack traces).
 */
class BadPercentEncodingIsAProblemTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(EchoService.definition(), Map.of());

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void capture() {
    lines.start();
    root.addAppender(lines);
  }

  @AfterEach
  void release() {
    root.detachAppender(lines);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/echo/%", "/%zz", "/a%", "/echo/%g1", "/echo/1?x=%zz", "/echo/1?x=%", "/slow?ms=%",
    "/nothing/%zz?y=%"})
  void isA400ProblemLoggedAtDebugOnly(String target) {
    RawHttp.Response response = RawHttp.request(service.port(), "GET", target);

    assertThat(response.status()).as("status of %s: %s", target, response.body()).isEqualTo(400);
    assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.json();
    assertThat(problem.getString("type")).isEqualTo("https://surge.dev/problems/bad-request");
    assertThat(problem.getInteger("status")).isEqualTo(400);
    assertThat(problem.getString("detail")).contains("percent-encoded");
    assertThat(problem.getString("requestId")).isNotBlank().isEqualTo(response.header("X-Request-Id"));
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(lines.list).as("log lines at WARN or above")
      .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/echo/a%20b", "/echo/%41", "/echo/1?x=%20"})
  void aValidEncodingStillServes(String target) {
    assertThat(RawHttp.request(service.port(), "GET", target).status()).isEqualTo(200);
  }
}
