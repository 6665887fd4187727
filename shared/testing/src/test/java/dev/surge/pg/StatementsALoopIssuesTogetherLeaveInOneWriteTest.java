package dev.surge.pg;

import dev.surge.ServiceContext;
import dev.surge.config.ChassisKeys;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import io.vertx.core.internal.ContextInternal;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.surge.pg.LoopReads.definition;
import static dev.surge.pg.LoopReads.firstLoop;
import static dev.surge.pg.LoopReads.inOneTask;
import static dev.surge.pg.LoopReads.settledBackend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Statements a loop issues in one go (a request's twenty reads) reach PostgreSQL in one write, not one each: on NIO
 * (the transport where io_uring is not allowed, Docker's default among them) each was a send, a TCP segment and a
 * wake-up of the backend. Counted by the kernel: the connection's data segments out ({@code ss}'s
 * {@code data_segs_out}), found by the port PostgreSQL reports for the loop's backend.
 */
class StatementsALoopIssuesTogetherLeaveInOneWriteTest {

  private static final int STATEMENTS = 50;
  private static final String READ = "SELECT $1::int";

  @Test
  void fiftyReadsIssuedInOneTaskLeaveInOneSegment() throws Exception {
    AtomicReference<ServiceContext> context = new AtomicReference<>();
    // On NIO, where each write is a send of its own (io_uring holds a send back while one is in flight).
    try (TestService service = TestService.start(definition(context), Map.of(ChassisKeys.VERTX_TRANSPORT.name(), "nio"))) {
      SqlClient client = PostgresComponent.client(context.get());
      ContextInternal loop = firstLoop(context.get());
      int port = clientPort(service.pgUrl(), settledBackend(service, client, loop));
      assumeTrue(port > 0, "PostgreSQL over TCP (not a Unix socket)");
      assumeTrue(ssInstalled(), "iproute2's ss installed (.ci/run installs it)");
      // A statement not yet prepared holds back those after it until it is: one write anyway.
      inOneTask(loop, 1, i -> client.preparedQuery(READ).execute(Tuple.of(i)));
      long before = dataSegmentsOut(port);

      inOneTask(loop, STATEMENTS, i -> client.preparedQuery(READ).execute(Tuple.of(i)));

      assertThat(dataSegmentsOut(port) - before).as("segments that carried %d statements", STATEMENTS)
        .isBetween(1L, 2L);
    }
  }

  private static boolean ssInstalled() {
    try {
      return new ProcessBuilder("ss", "-V").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException absent) {
      return false;
    }
  }

  private static int clientPort(String url, int backend) throws Exception {
    try (Connection c = SurgeTestEnvironment.jdbc(url);
         ResultSet rs = c.createStatement().executeQuery("SELECT client_port FROM pg_stat_activity WHERE pid = " + backend)) {
      assertThat(rs.next()).as("the loop's backend in pg_stat_activity").isTrue();
      return rs.getInt(1);
    }
  }

  /** The kernel's count of segments with data that this process's socket on {@code port} sent (iproute2's ss). */
  private static long dataSegmentsOut(int port) throws IOException, InterruptedException {
    Process ss = new ProcessBuilder("ss", "-tinH", "sport = :" + port).redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ss.waitFor()).as("ss: %s", out).isZero();
    Matcher m = Pattern.compile("data_segs_out:(\\d+)").matcher(out);
    assertThat(m.find()).as("data_segs_out of the socket on port %d in: %s", port, out).isTrue();
    return Long.parseLong(m.group(1));
  }
}
