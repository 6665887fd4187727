package dev.surge.http;

import dev.surge.testing.HttpDates;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/** The Date header's format is IMF-fixdate (RFC 9110 §5.6.7): a day of the month is always two digits. */
class HttpDateIsImfFixdateTest {

  @Test
  void aOneDigitDayIsWrittenWithTwoDigits() {
    assertThat(HttpDate.format(Instant.parse("2026-12-04T12:20:28Z"))).isEqualTo("Fri, 04 Dec 2026 12:20:28 GMT");
    assertThat(HttpDate.format(Instant.parse("1994-11-06T08:49:37.999Z"))).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    assertThat(HttpDate.format(Instant.parse("2027-01-31T23:59:59Z"))).isEqualTo("Sun, 31 Jan 2027 23:59:59 GMT");
  }

  @Test
  void nowIsTheClocksSecondAsImfFixdate() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String now = HttpDate.now();
    Instant after = Instant.now();
    assertThat(now).matches(HttpDates.IMF_FIXDATE);
    assertThat(ZonedDateTime.parse(now, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()).isBetween(before, after);
  }
}
