package dev.surge.jobservice.reports;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvQuotesFieldsAsRfc4180Test {

  @Test
  void leavesPlainFieldsAlone() {
    assertThat(Csv.field("plain text; with semicolons")).isEqualTo("plain text; with semicolons");
    assertThat(Csv.field("")).isEmpty();
  }

  @Test
  void quotesFieldsWithACommaQuoteOrLineBreak() {
    assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
    assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(Csv.field("carriage\rreturn")).isEqualTo("\"carriage\rreturn\"");
  }

  @Test
  void writesValuesAsText() {
    assertThat(Csv.text(null)).isEmpty();
    assertThat(Csv.text(42L)).isEqualTo("42");
    assertThat(Csv.text(OffsetDateTime.of(2026, 1, 2, 3, 4, 0, 0, ZoneOffset.UTC))).isEqualTo("2026-01-02T03:04:00Z");
  }

  @Test
  void endsLinesWithCrLf() {
    Buffer out = Buffer.buffer();
    Csv.appendLine(out, List.of("id", "name, full"));
    assertThat(out.toString()).isEqualTo("id,\"name, full\"\r\n");
  }
}
