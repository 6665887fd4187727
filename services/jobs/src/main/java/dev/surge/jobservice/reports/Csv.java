package dev.surge.jobservice.reports;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** CSV as RFC 4180 writes it: CRLF line ends, and fields with a comma, quote, CR or LF quoted, quotes doubled. */
final class Csv {

  static final String LINE_END = "\r\n";

  private Csv() {
  }

  static void appendLine(Buffer out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.appendString(",");
      }
      out.appendString(field(fields.get(i)));
    }
    out.appendString(LINE_END);
  }

  static void appendRow(Buffer out, Row row) {
    for (int i = 0; i < row.size(); i++) {
      if (i > 0) {
        out.appendString(",");
      }
      out.appendString(field(text(row.getValue(i))));
    }
    out.appendString(LINE_END);
  }

  /** A value as a CSV field's text: null is empty, timestamps are ISO 8601. */
  static String text(Object value) {
    return switch (value) {
      case null -> "";
      case OffsetDateTime t -> t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      case BigDecimal d -> d.toPlainString();
      default -> value.toString();
    };
  }

  static String field(String text) {
    boolean quote = false;
    for (int i = 0; i < text.length() && !quote; i++) {
      char c = text.charAt(i);
      quote = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }
}
