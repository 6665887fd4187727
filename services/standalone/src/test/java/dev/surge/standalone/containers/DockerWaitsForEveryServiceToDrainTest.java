package dev.surge.standalone.containers;

import dev.surge.config.ChassisKeys;
import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On {@code docker stop} a service withdraws for {@code shutdown.delay}, then drains for up to
 * {@code shutdown.grace}: Docker must wait longer than both before it kills it (its stop_grace_period, 10 s when
 * compose gives none), or requests in flight fail and jobs are cut.
 */
class DockerWaitsForEveryServiceToDrainTest {

  private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(ms|h|m|s)");

  @Test
  void theStopGracePeriodOutlastsTheServicesDelayAndGrace() throws Exception {
    for (ComposeService service : ComposeFile.read().surgeServices()) {
      String name = service.buildArg("SERVICE");
      Duration grace = setting(service, name, ChassisKeys.SHUTDOWN_GRACE.envName());
      Duration delay = setting(service, name, ChassisKeys.SHUTDOWN_DELAY.envName());
      Object period = service.get("stop_grace_period");
      assertThat(dockerDuration(period == null ? "10s" : period.toString()))
        .as("%s: Docker's stop_grace_period against shutdown.delay %s + shutdown.grace %s", service.name(), delay,
          grace)
        .isGreaterThan(delay.plus(grace));
    }
  }

  private static Duration setting(ComposeService service, String name, String variable) {
    var key = ServiceModules.keyOf(name, variable);
    String value = service.environment().get(variable);
    return (Duration) (value == null ? key.defaultValue() : key.parse(value));
  }

  /** Compose's durations: Go's, such as {@code 1m30s}. */
  private static Duration dockerDuration(String text) {
    Duration total = Duration.ZERO;
    Matcher part = GO_DURATION.matcher(text);
    while (part.find()) {
      long n = Long.parseLong(part.group(1));
      total = total.plus(switch (part.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMillis(n);
      });
    }
    return total;
  }
}
