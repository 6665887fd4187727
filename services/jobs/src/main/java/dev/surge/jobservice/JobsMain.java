package dev.surge.jobservice;

import dev.surge.ServiceDefinition;
import dev.surge.Surge;
import dev.surge.config.ConfigKey;
import dev.surge.jobservice.jobs.JobRoutes;
import dev.surge.jobservice.queues.QueueRoutes;
import dev.surge.jobservice.reports.ReportExportJob;
import dev.surge.jobservice.reports.ReportSweeper;
import dev.surge.jobservice.types.JobType;
import dev.surge.jobservice.types.JobTypes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/** The jobs service: the durable job queue's REST API, and the built-in network, database and file job types. */
public final class JobsMain {

  public static final int DEFAULT_PORT = 8083;

  public static final ConfigKey<String> DATA_DIR = ConfigKey.string("jobs.dataDir", ".surge/jobs-data",
    Pattern.compile("\\S.{0,1023}"), "a directory path",
    "Where report.export writes and the only directory file.compress may touch");
  public static final ConfigKey<Long> HTTP_MAX_RESPONSE_SIZE = ConfigKey.bytes("jobs.http.maxResponseSize",
    10L * 1024 * 1024, 1024, 1024L * 1024 * 1024, "Largest response body an http.request job reads; larger fails the attempt");
  public static final ConfigKey<Long> MAX_ARGS_SIZE = ConfigKey.bytes("jobs.maxArgsSize", 64 * 1024, 1024,
    16L * 1024 * 1024, "Largest args of a job enqueued through POST /jobs, as JSON; larger gets 413");

  public static final ConfigKey<Integer> REPORTS_POOL_SHARE = ConfigKey.integer("jobs.reports.poolShare", 50, 1, 90,
    "Percent of pg.poolSize that report.export jobs may hold at once, a connection each (at least one, and always "
      + "one fewer than the pool); further exports wait their turn holding none");
  public static final ConfigKey<java.time.Duration> REPORTS_RETENTION = ConfigKey.duration("jobs.reports.retention",
    java.time.Duration.ofDays(7), java.time.Duration.ofSeconds(1), java.time.Duration.ofDays(3650),
    "Report files older than this are deleted from reports/ in jobs.dataDir (at start, then every tenth of it)");

  private JobsMain() {
  }

  public static ServiceDefinition definition() {
    AtomicReference<Map<String, JobType>> types = new AtomicReference<>();
    return ServiceDefinition.builder("jobs")
      .defaultPort(DEFAULT_PORT)
      .configKeys(List.of(DATA_DIR, HTTP_MAX_RESPONSE_SIZE, MAX_ARGS_SIZE, REPORTS_POOL_SHARE, REPORTS_RETENTION))
      .jobs((ctx, jobs) -> {
        types.set(JobTypes.builtin(ctx));
        types.get().values().forEach(t -> jobs.register(t.name(), t.threadingModel(), t.handler(), t.secretArgs()));
        ctx.deploy(() -> new ReportSweeper(java.nio.file.Path.of(ctx.config().get(DATA_DIR))
          .resolve(ReportExportJob.REPORTS_DIR), ctx.config().get(REPORTS_RETENTION)), new io.vertx.core.DeploymentOptions());
      })
      .streaming(JobRoutes.EVENTS_PATH)
      .http(ctx -> router -> {
        new JobRoutes(ctx.jobs(), types.get(), ctx.config().get(MAX_ARGS_SIZE)).routes(router);
        new QueueRoutes(ctx.jobs()).routes(router);
      })
      .build();
  }

  public static void main(String[] args) {
    Surge.run(definition(), args);
  }
}
