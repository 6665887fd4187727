package dev.surge.orders;

import dev.surge.testing.Problems;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reservation the catalog is slow to answer is asked again (in two copies), and a refusal stores nothing at the
 * catalog: a copy still queued there is judged afresh, and, if stock came back meanwhile (a cancellation), takes it
 * for a request already answered 409, held by no order for good. So a line refused after it was asked again is
 * released like a reserved one: the release marks its reservation, and a late copy is refused, or gives back what
 * it took. A refusal answered before any repeat (the common case, a flash sale's) releases nothing.
 */
class ALineRefusedAfterItWasAskedAgainIsReleasedTest {

  @Test
  void aRefusalAnsweredAfterARepeatReleasesTheRefusedLine() throws Exception {
    // Every answer 900 ms late: the first repeat goes out at a quarter of the 2 s to decide.
    try (CatalogStandIn catalog = new CatalogStandIn(Map.of("orders.catalogTimeout", "2s"), 900)) {
      Problems.assertProblem(catalog.place("refused-late", 7), 409, "insufficient-stock");
      assertThat(catalog.asked.get()).as("asked again").isGreaterThan(1);
      Platform.eventually("the refused line released", () -> catalog.released.get() == 1);
    }
  }

  @Test
  void aRefusalAnsweredAtOnceReleasesNothing() throws Exception {
    try (CatalogStandIn catalog = new CatalogStandIn(Map.of("orders.catalogTimeout", "2s"), 1)) {
      Problems.assertProblem(catalog.place("refused-at-once", 7), 409, "insufficient-stock");
      assertThat(catalog.asked.get()).isEqualTo(1);
      Thread.sleep(1_000); // the jobs poll every 100 ms: a release enqueued would have been sent by now
      assertThat(catalog.released.get()).isZero();
    }
  }
}
