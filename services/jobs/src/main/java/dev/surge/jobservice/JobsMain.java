package dev.surge.jobservice;

import dev.surge.pg.JobsComponent;
import dev.surge.pg.PostgresComponent;
import dev.surge.ServiceDefinition;
import dev.surge.Launcher;
import dev.surge.config.ConfigKey;
import dev.surge.config.SurgeConfig;
import dev.surge.jobservice.http.HttpRequestJobOptions;
import dev.surge.jobservice.jobs.EventStreamOptions;
import dev.surge.jobservice.jobs.JobEventStreams;
import dev.surge.jobservice.jobs.JobRoutes;
import dev.surge.jobservice.jobs.TimelyEnqueue;
import dev.surge.jobservice.queues.QueueRoutes;
import dev.surge.jobservice.reports.ReportExportJob;
import dev.surge.jobservice.reports.ReportSweeper;
import dev.surge.jobservice.types.JobType;

import java.time.Duration;
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
    HttpRequestJobOptions.DEFAULT_MAX_RESPONSE_SIZE, 1024, 1024L * 1024 * 1024,
    "Largest response body an http.request job reads; larger fails the attempt");
  public static final ConfigKey<Integer> HTTP_MAX_REDIRECTS = ConfigKey.integer("jobs.http.maxRedirects",
    HttpRequestJobOptions.DEFAULT_MAX_REDIRECTS, 0, 20,
    "Redirects an http.request job follows, each destination checked again; 0: a 3xx answer is the job's result");
  public static final ConfigKey<List<String>> HTTP_ALLOWED_HOSTS = ConfigKey.list("jobs.http.allowedHosts",
    Pattern.compile("[A-Za-z0-9.\\-]{1,253}(/\\d{1,3})?|[0-9A-Fa-f:.]{2,45}(/\\d{1,3})?"),
    "host names, IP addresses and CIDRs, comma-separated, such as hooks.internal,10.1.0.0/16",
    "Hosts (by name, whatever they resolve to) and networks http.request jobs may reach though not public");
  public static final ConfigKey<Boolean> HTTP_ALLOW_PRIVATE_NETWORKS = ConfigKey.bool("jobs.http.allowPrivateNetworks",
    HttpRequestJobOptions.DEFAULT_ALLOW_PRIVATE_NETWORKS,
    "Lets http.request jobs reach private (10/8, 172.16/12, 192.168/16, 100.64/10) and unique-local addresses");
  public static final ConfigKey<Integer> EVENTS_MAX_STREAMS = ConfigKey.integer("jobs.events.maxStreams", 256, 1,
    100_000, "GET /jobs/{id}/events streams open at once in the process; beyond, 503 with Retry-After");
  public static final ConfigKey<Integer> EVENTS_MAX_STREAMS_PER_CLIENT = ConfigKey.integer(
    "jobs.events.maxStreamsPerClient", 16, 1, 100_000,
    "Event streams one client address (the gateway's, for clients behind it) may have open at once; beyond, 429");
  /**
   * Loopback by default: the all-in-one's gateway reaches the service from there, and so does a proxy on the same
   * host; without it, every client behind that gateway counted as one and could take each other's streams.
   */
  public static final ConfigKey<List<String>> EVENTS_TRUSTED_PROXIES = ConfigKey.list("jobs.events.trustedProxies",
    dev.surge.http.ClientAddresses::isCidr, "IP addresses or CIDR ranges, comma-separated, such as 172.30.0.0/24",
    "Proxies (the gateway) whose X-Forwarded-For names the client an event stream is counted for")
    .withDefault(List.of("127.0.0.1/32", "::1/128"));
  public static final ConfigKey<Duration> EVENTS_MAX_LIFE = ConfigKey.duration("jobs.events.maxLife",
    Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofHours(24),
    "Longest an event stream lasts; then it ends and the client reconnects");
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
      .configKeys(List.of(DATA_DIR, HTTP_MAX_RESPONSE_SIZE, HTTP_MAX_REDIRECTS, HTTP_ALLOWED_HOSTS,
        HTTP_ALLOW_PRIVATE_NETWORKS, EVENTS_MAX_STREAMS, EVENTS_MAX_STREAMS_PER_CLIENT, EVENTS_TRUSTED_PROXIES,
        EVENTS_MAX_LIFE, MAX_ARGS_SIZE,
        REPORTS_POOL_SHARE, REPORTS_RETENTION))
      .use(PostgresComponent.create())
      .use(JobsComponent.of((ctx, jobs) -> {
        types.set(JobTypes.builtin(ctx, jobTypeOptions(ctx.config())));
        types.get().values().forEach(t -> jobs.register(t.name(), t.threadingModel(), t.handler(), t.secretArgs()));
        ctx.deploy(() -> new ReportSweeper(java.nio.file.Path.of(ctx.config().get(DATA_DIR))
          .resolve(ReportExportJob.REPORTS_DIR), ctx.config().get(REPORTS_RETENTION)), new io.vertx.core.DeploymentOptions());
      }))
      .streaming(JobRoutes.EVENTS_PATH)
      .contract("openapi/jobs.json")
      .http(ctx -> router -> {
        new JobRoutes(JobsComponent.queue(ctx), types.get(), ctx.config().get(MAX_ARGS_SIZE),
          ctx.shared(JobEventStreams.class, () -> new JobEventStreams(ctx, eventStreamOptions(ctx.config()))),
          new TimelyEnqueue(ctx)).routes(router);
        new QueueRoutes(JobsComponent.queue(ctx)).routes(router);
      })
      .build();
  }

  static JobTypeOptions jobTypeOptions(SurgeConfig config) {
    return new JobTypeOptions(java.nio.file.Path.of(config.get(DATA_DIR)), new HttpRequestJobOptions()
      .setMaxResponseSize(config.get(HTTP_MAX_RESPONSE_SIZE))
      .setMaxRedirects(config.get(HTTP_MAX_REDIRECTS))
      .setAllowedHosts(config.get(HTTP_ALLOWED_HOSTS))
      .setAllowPrivateNetworks(config.get(HTTP_ALLOW_PRIVATE_NETWORKS)), config.get(REPORTS_POOL_SHARE));
  }

  static EventStreamOptions eventStreamOptions(SurgeConfig config) {
    return new EventStreamOptions(config.get(EVENTS_MAX_STREAMS), config.get(EVENTS_MAX_STREAMS_PER_CLIENT),
      config.get(EVENTS_TRUSTED_PROXIES), config.get(EVENTS_MAX_LIFE));
  }

  public static void main(String[] args) {
    Launcher.run(definition(), args);
  }
}
