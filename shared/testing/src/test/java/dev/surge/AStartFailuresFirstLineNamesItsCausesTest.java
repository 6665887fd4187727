package dev.surge;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.UnknownHostException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** The line a start failure is logged with says why before any stack trace, however its causes are chained. */
class AStartFailuresFirstLineNamesItsCausesTest {

  @Test
  void eachCauseFollowsWithItsKindAndItsMessage() {
    Exception failure = new IllegalStateException("The connection attempt failed.",
      new SQLException("no connection", new UnknownHostException("postgres")));
    assertThat(Launcher.why(failure))
      .isEqualTo("The connection attempt failed. (SQLException: no connection) (UnknownHostException: postgres)");
  }

  @Test
  void aMessageAlreadySaidIsNotRepeated() {
    Exception failure = new RuntimeException("java.io.IOException: reset", new IOException("reset"));
    assertThat(Launcher.why(failure)).isEqualTo("java.io.IOException: reset (IOException)");
  }

  @Test
  void aCausesMessageFoundInsideAnotherIsStillSaid() {
    Exception failure = new IllegalStateException("Connection to postgres:5432 failed",
      new UnknownHostException("postgres"));
    assertThat(Launcher.why(failure))
      .isEqualTo("Connection to postgres:5432 failed (UnknownHostException: postgres)");
  }

  @Test
  void aMessageOfSeveralLinesIsSaidOnOne() {
    Exception failure = new IllegalStateException("Migration V2 failed\n  SQL State: 42P01\n  Message: no table");
    assertThat(Launcher.why(failure)).isEqualTo("Migration V2 failed SQL State: 42P01 Message: no table");
  }

  @Test
  void withoutAMessageTheFailureIsNamedByItsKind() {
    assertThat(Launcher.why(new NullPointerException())).isEqualTo("NullPointerException");
  }

  @Test
  void aLongChainKeepsItsRootCause() {
    Throwable failure = new UnknownHostException("postgres");
    for (int i = 6; i >= 1; i--) {
      failure = new IllegalStateException("level " + i, failure);
    }
    assertThat(Launcher.why(failure)).isEqualTo("level 1 (IllegalStateException: level 2) (IllegalStateException: "
      + "level 3) (IllegalStateException: level 4) (...) (UnknownHostException: postgres)");
  }

  @Test
  void aCycleOfCausesEnds() {
    IllegalStateException outer = new IllegalStateException("outer");
    IllegalStateException inner = new IllegalStateException("inner", outer);
    outer.initCause(inner);
    assertThat(Launcher.why(outer)).isEqualTo("outer (IllegalStateException: inner)");
  }
}
