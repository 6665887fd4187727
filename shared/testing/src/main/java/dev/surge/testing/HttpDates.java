package dev.surge.testing;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on the {@code Date} header. */
public final class HttpDates {

  /** IMF-fixdate as RFC 9110 §5.6.7 gives its grammar: the day of the month is always two digits. */
  public static final String IMF_FIXDATE =
    "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
      + "[0-9]{2}:[0-9]{2}:[0-9]{2} GMT";

  private HttpDates() {
  }

  /** The response's {@code Date} values: exactly one, as IMF-fixdate. */
  public static void assertOneImfFixdate(List<String> dates) {
    assertThat(dates).as("Date headers").hasSize(1);
    assertThat(dates.get(0)).matches(IMF_FIXDATE);
  }
}
