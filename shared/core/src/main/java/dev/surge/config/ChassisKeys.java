package dev.surge.config;

import dev.surge.arbiter.SupervisionOptions;
import dev.surge.http.HttpOptions;
import dev.surge.tracing.TracingOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The configuration keys every Surge service has. A service adds its own beside them. */
public final class ChassisKeys {

  private static final int CPUS = Runtime.getRuntime().availableProcessors();
  private static final Duration NONE = Duration.ZERO;
  private static final Pattern PEM_PATH = Pattern.compile("\\S.{0,1023}");

  private ChassisKeys() {
  }

  public static final ConfigKey<String> SERVICE_NAME = ConfigKey.string("service.name", "surge",
    Pattern.compile("[a-z][a-z0-9-]{0,39}"), "a lower-case name of up to 40 letters, digits and dashes",
    "Name used in logs, metrics and the cache namespace");

  public static final ConfigKey<String> HTTP_HOST = ConfigKey.string("http.host", HttpOptions.DEFAULT_HOST,
    Pattern.compile("[A-Za-z0-9.:\\-\\[\\]]{1,255}"), "a host name or IP address", "Address the HTTP server binds");
  public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.integer("http.port", 8080, 0, 65535,
    "HTTP port (0 picks a free one)");
  public static final ConfigKey<Integer> HTTP_INSTANCES = ConfigKey.integer("http.instances", CPUS, 1, 1024,
    "HTTP verticle instances, one per event loop (gunicorn's workers); default: the number of processors");
  public static final ConfigKey<String> HTTP_THREADING_MODEL = ConfigKey.oneOf("http.threadingModel", "event-loop",
    List.of("event-loop", "worker", "virtual-thread"),
    "Threading model of the HTTP verticles: event-loop, worker (gthread) or virtual-thread (gevent)");
  public static final ConfigKey<Duration> HTTP_REQUEST_TIMEOUT = ConfigKey.duration("http.requestTimeout",
    HttpOptions.DEFAULT_REQUEST_TIMEOUT, Duration.ofMillis(10), Duration.ofMinutes(10), "A request not answered by then gets 503 with Retry-After");
  public static final ConfigKey<Long> HTTP_MAX_BODY_SIZE = ConfigKey.bytes("http.maxBodySize", HttpOptions.DEFAULT_MAX_BODY_SIZE, 1024,
    1024L * 1024 * 1024, "Largest request body; larger gets 413");
  public static final ConfigKey<Integer> HTTP_MAX_INITIAL_LINE_LENGTH = ConfigKey.integer("http.maxInitialLineLength",
    HttpOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH, 256, 65536, "Longest request line; longer gets 414");
  public static final ConfigKey<Integer> HTTP_MAX_HEADER_SIZE = ConfigKey.integer("http.maxHeaderSize",
    HttpOptions.DEFAULT_MAX_HEADER_SIZE, 1024,
    1024 * 1024, "Largest total size of the request headers in bytes; larger gets 431");
  public static final ConfigKey<Integer> HTTP_MAX_HEADERS = ConfigKey.integer("http.maxHeaders", HttpOptions.DEFAULT_MAX_HEADERS, 1, 10_000,
    "Most request headers; more gets 431");
  public static final ConfigKey<Duration> HTTP_IDLE_TIMEOUT = ConfigKey.duration("http.idleTimeout",
    HttpOptions.DEFAULT_IDLE_TIMEOUT, NONE, Duration.ofHours(1), "An idle keep-alive connection is closed after this (0 never)");
  public static final ConfigKey<Integer> HTTP_ACCEPT_BACKLOG = ConfigKey.integer("http.acceptBacklog",
    HttpOptions.DEFAULT_ACCEPT_BACKLOG, 1, 65535,
    "Pending connections the kernel queues before accept");
  public static final ConfigKey<Integer> HTTP_MAX_IN_FLIGHT = ConfigKey.integer("http.maxInFlight",
    HttpOptions.DEFAULT_MAX_IN_FLIGHT, 1, 1_000_000,
    "Requests one HTTP instance handles at once (gunicorn's worker_connections)");
  public static final ConfigKey<Integer> HTTP_MAX_QUEUED = ConfigKey.integer("http.maxQueued", HttpOptions.DEFAULT_MAX_QUEUED, 0, 1_000_000,
    "Requests one HTTP instance holds waiting for a slot; beyond it 503 with Retry-After at once");
  public static final ConfigKey<Duration> HTTP_RETRY_AFTER = ConfigKey.duration("http.retryAfter", HttpOptions.DEFAULT_RETRY_AFTER,
    Duration.ofSeconds(1), Duration.ofHours(1), "Retry-After sent with 503 answers");

  public static final ConfigKey<Integer> HTTP_MAX_REQUESTS = ConfigKey.integer("http.maxRequests",
    (int) SupervisionOptions.DEFAULT_MAX_REQUESTS, 0, 1_000_000_000,
    "Requests after which an HTTP instance is replaced by a fresh one, drained first (gunicorn's max_requests); 0 never");
  public static final ConfigKey<Integer> HTTP_MAX_REQUESTS_JITTER = ConfigKey.integer("http.maxRequestsJitter",
    (int) SupervisionOptions.DEFAULT_MAX_REQUESTS_JITTER, 0,
    1_000_000_000, "Up to this many more requests, drawn per instance, so instances are not all recycled at once");

  public static final ConfigKey<Integer> ADMIN_PORT = ConfigKey.integer("admin.port", 0, 0, 65535,
    "Port of the admin API (instances, scaling, rolling restart, configuration); 0: off");
  public static final ConfigKey<String> ADMIN_HOST = ConfigKey.string("admin.host", "127.0.0.1",
    Pattern.compile("[A-Za-z0-9.:\\-\\[\\]]{1,255}"), "a host name or IP address",
    "Address the admin API binds; off loopback it needs admin.token");
  public static final ConfigKey<String> ADMIN_TOKEN = ConfigKey.string("admin.token", null,
    Pattern.compile("[\\x21-\\x7e]{16,256}"), "16 to 256 printable characters, no spaces",
    "Token the admin API requires as Authorization: Bearer; required when admin.host is not loopback")
    .secret(token -> "****");
  public static final ConfigKey<Duration> SUPERVISOR_BACKOFF = ConfigKey.duration("supervisor.backoff",
    SupervisionOptions.DEFAULT_BACKOFF, Duration.ofMillis(10), Duration.ofMinutes(10),
    "Wait before redeploying a failed instance; doubles with each failure in a row");
  public static final ConfigKey<Duration> SUPERVISOR_MAX_BACKOFF = ConfigKey.duration("supervisor.maxBackoff",
    SupervisionOptions.DEFAULT_MAX_BACKOFF, Duration.ofMillis(10), Duration.ofHours(1), "Longest wait before redeploying a failed instance");
  public static final ConfigKey<Duration> WATCHDOG_FAIL_AFTER = ConfigKey.duration("watchdog.failAfter",
    Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofHours(1),
    "A thread blocked this long fails readiness; an event loop, liveness too, for the orchestrator to restart the "
      + "process (a JVM cannot kill a thread)");

  public static final ConfigKey<Integer> VERTX_EVENT_LOOPS = ConfigKey.integer("vertx.eventLoops", 2 * CPUS, 1, 1024,
    "Event-loop threads; default twice the processors");
  public static final ConfigKey<Integer> VERTX_WORKER_POOL_SIZE = ConfigKey.integer("vertx.workerPoolSize", 20, 1, 1000,
    "Threads of the default worker pool (gunicorn's threads)");
  public static final ConfigKey<String> VERTX_TRANSPORT = ConfigKey.oneOf("vertx.transport", "auto",
    List.of("auto", "io_uring", "nio"),
    "Network I/O: auto takes Linux's io_uring where the kernel and the container allow it, else Java's NIO; "
      + "io_uring refuses to start without it; nio never tries it");
  public static final ConfigKey<Duration> VERTX_MAX_EVENT_LOOP_EXECUTE_TIME = ConfigKey.duration(
    "vertx.maxEventLoopExecuteTime", Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofMinutes(1),
    "An event loop busy longer than this is logged as blocked, with its stack");
  public static final ConfigKey<Map<String, Integer>> WORKER_EXECUTORS = ConfigKey.namedSizes(
    "worker.executors", "Named worker pools for blocking workloads, such as reports=4,images=2");
  public static final ConfigKey<Duration> WORKER_MAX_EXECUTE_TIME = ConfigKey.duration("worker.maxExecuteTime",
    Duration.ofSeconds(60), Duration.ofMillis(10), Duration.ofHours(1), "A worker task running longer is logged as blocked");

  public static final ConfigKey<String> LOG_LEVEL = ConfigKey.oneOf("log.level", "info",
    List.of("trace", "debug", "info", "warn", "error"), "Level of the application logs");
  public static final ConfigKey<String> LOG_FORMAT = ConfigKey.oneOf("log.format", "text", List.of("text", "json"),
    "Application and access logs as text or as JSON lines");
  public static final ConfigKey<String> LOG_ACCESS = ConfigKey.oneOf("log.access", HttpOptions.DEFAULT_ACCESS_LOG, List.of("off", "text", "json"),
    "Access log: off, text or JSON lines (health checks that pass are left out)");
  public static final ConfigKey<Boolean> METRICS_ENABLED = ConfigKey.bool("metrics.enabled", true,
    "Collect metrics and serve /metrics");

  public static final ConfigKey<Boolean> TRACING_ENABLED = ConfigKey.bool("tracing.enabled", false,
    "Trace requests with OpenTelemetry (W3C traceparent in and out, over the event bus and the job queue too) and "
      + "export the spans over OTLP/HTTP to tracing.endpoint; off, nothing is traced or exported");
  public static final ConfigKey<String> TRACING_ENDPOINT = ConfigKey.string("tracing.endpoint",
    TracingOptions.DEFAULT_ENDPOINT, Pattern.compile("https?://\\S{1,2000}"), "an http or https URL",
    "The OTLP/HTTP traces endpoint of a collector (an OpenTelemetry Collector, Jaeger, Tempo)")
    .secret(Secrets::maskUrlPasswords);
  public static final ConfigKey<Double> TRACING_SAMPLING_RATIO = ConfigKey.ratio("tracing.samplingRatio",
    TracingOptions.DEFAULT_SAMPLING_RATIO, "Share of the traces started here that are kept (a request that comes "
      + "with a traceparent follows its caller's choice, unless tracing.callerTraces says otherwise)");
  public static final ConfigKey<String> TRACING_CALLER_TRACES = ConfigKey.oneOf("tracing.callerTraces",
    TracingOptions.DEFAULT_CALLER_TRACES.configName(), List.of("follow", "decide", "link"),
    "What the service does with an HTTP request's traceparent: follow (continue the caller's trace and its decision "
      + "to keep it: the platform's services calling each other), decide (continue the trace id, keep it at "
      + "tracing.samplingRatio at random) or link (start a trace of its own, linked to the caller's: the gateway's "
      + "default, so that no client chooses the trace its requests, orders and jobs go in, nor has them traced at will)");
  public static final ConfigKey<String> TRACING_SERVICE_NAME = ConfigKey.string("tracing.serviceName", null,
    Pattern.compile("[A-Za-z0-9._-]{1,64}"), "up to 64 letters, digits and . _ -",
    "The service.name of the spans (unset: service.name)");
  public static final ConfigKey<Integer> TRACING_MAX_QUEUE_SIZE = ConfigKey.integer("tracing.maxQueueSize",
    TracingOptions.DEFAULT_MAX_QUEUE_SIZE, 64, 1_000_000, "Most spans waiting for export; beyond it (the collector "
      + "slow or down) spans are dropped, and counted in surge_tracing_spans_dropped_total, never waited for");
  public static final ConfigKey<Duration> TRACING_EXPORT_TIMEOUT = ConfigKey.duration("tracing.exportTimeout",
    TracingOptions.DEFAULT_EXPORT_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(1),
    "How long one export to the collector may take before it is given up (its spans dropped)");

  public static final ConfigKey<String> PG_URL = ConfigKey.string("pg.url", null,
    Pattern.compile("postgres(ql)?://[^\\s/@]+(:[^\\s/@]*)?@[^\\s/:@]+(:\\d{1,5})?/[^\\s/?]+(\\?\\S*)?"),
    "postgresql://user[:password]@host[:port]/database",
    "PostgreSQL to use, for a service built with surge-pg; unset, the standalone jar starts an embedded one under embedded.dataDir (a service's own jar does not start)").secret(Secrets::maskUrlPasswords);

  public static final ConfigKey<Boolean> CLUSTER_ENABLED = ConfigKey.bool("cluster.enabled", false,
    "Join the clustered event bus (Hazelcast); off, the event bus is local to the process");
  public static final ConfigKey<String> CLUSTER_NAME = ConfigKey.string("cluster.name", "surge",
    Pattern.compile("[A-Za-z0-9._-]{1,64}"), "up to 64 letters, digits and . _ -",
    "Only members with the same name join each other");
  public static final ConfigKey<String> CLUSTER_DISCOVERY = ConfigKey.oneOf("cluster.discovery", "members",
    List.of("members", "kubernetes"), "How members find each other: members, from cluster.members over TCP; "
      + "kubernetes, at the pod addresses that cluster.kubernetes.serviceDns resolves to (DNS only: no Kubernetes API "
      + "permissions)");
  public static final ConfigKey<List<String>> CLUSTER_MEMBERS = ConfigKey.hostPorts("cluster.members",
    "Where to find the other members (their cluster.port); this node may be among them. Only with "
      + "cluster.discovery=members");
  public static final ConfigKey<String> CLUSTER_KUBERNETES_SERVICE_DNS = ConfigKey.string(
    "cluster.kubernetes.serviceDns", null, Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?\\.?"),
    "a DNS name such as surge-cluster.surge.svc.cluster.local",
    "With cluster.discovery=kubernetes (and only then): the DNS name of a headless Service (publishNotReadyAddresses: "
      + "true) selecting every clustered pod; the members are its addresses, each at cluster.port");
  public static final ConfigKey<String> CLUSTER_HOST = ConfigKey.string("cluster.host", null,
    Pattern.compile("[A-Za-z0-9.:\\-]{1,255}"), "an IP address or host name of this machine",
    "Address the cluster and the event bus bind; unset: Hazelcast picks one, the event bus all. In Kubernetes, "
      + "the pod's IP (status.podIP through the downward API)");
  public static final ConfigKey<String> CLUSTER_PUBLIC_HOST = ConfigKey.string("cluster.publicHost", null,
    Pattern.compile("[A-Za-z0-9.:\\-]{1,255}"), "an IP address or host name",
    "Address the other members reach this one at (behind NAT or in a container); unset: cluster.host. Unset in "
      + "Kubernetes, where pods reach each other at their own IPs");
  public static final ConfigKey<Integer> CLUSTER_PORT = ConfigKey.integer("cluster.port", 5701, 1, 65535,
    "Port of this member's cluster membership (Hazelcast)");
  public static final ConfigKey<Integer> CLUSTER_EVENT_BUS_PORT = ConfigKey.integer("cluster.eventBusPort", 5801, 0,
    65535, "Port the clustered event bus listens on (0 picks a free one: only when all members share a host)");
  public static final ConfigKey<Duration> CLUSTER_FAIL_AFTER = ConfigKey.duration("cluster.failAfter",
    Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMinutes(5),
    "How long a member may go unheard before the others drop it and its event-bus consumers (Hazelcast's "
      + "max.no.heartbeat, with a heartbeat every fifth of it): the requests a crashed or cut-off member was sent "
      + "fail for up to this long; too short, and a member that pauses (a long GC, an overloaded machine) is "
      + "dropped and joins again. Also how often a member cut off and dropped looks for the others to merge with");
  public static final ConfigKey<Boolean> CLUSTER_TLS_ENABLED = ConfigKey.bool("cluster.tls.enabled", true,
    "Mutual TLS on the clustered event bus: a member sends to and takes messages from only members whose "
      + "certificate the cluster's CA signed (cluster.tls.cert, .key, .ca, all required). false sends the event "
      + "bus in the clear and takes any connection: only on a network no one but the members reaches");
  public static final ConfigKey<String> CLUSTER_TLS_CERT = ConfigKey.string("cluster.tls.cert", null, PEM_PATH,
    "a PEM file's path", "This member's certificate (and its chain), signed by the cluster's CA (cluster.tls.ca)");
  public static final ConfigKey<String> CLUSTER_TLS_KEY = ConfigKey.string("cluster.tls.key", null, PEM_PATH,
    "a PEM file's path", "The private key of cluster.tls.cert (PKCS#8, PKCS#1 RSA or EC); its content is never logged or shown");
  public static final ConfigKey<String> CLUSTER_TLS_CA = ConfigKey.string("cluster.tls.ca", null, PEM_PATH,
    "a PEM file's path", "The certificate of the CA that signs the members' certificates: a CA of the cluster's own, "
      + "which signs nothing else, since every certificate it signed is a member");

  public static final ConfigKey<String> REDIS_URL = ConfigKey.string("redis.url", null,
    Pattern.compile("rediss?://([^\\s/@]*@)?[^\\s/:@]+(:\\d{1,5})?(/\\d{1,2})?"), "redis://[:password@]host[:port][/db]",
    "Redis to use, for a service built with surge-redis; unset, the standalone jar starts an embedded one (a service's own jar does not start)").secret(Secrets::maskUrlPasswords);
  public static final ConfigKey<Duration> SHUTDOWN_GRACE = ConfigKey.duration("shutdown.grace", SupervisionOptions.DEFAULT_GRACE,
    NONE, Duration.ofMinutes(10), "On SIGTERM, how long in-flight requests have to finish");
  public static final ConfigKey<Duration> SHUTDOWN_DELAY = ConfigKey.duration("shutdown.delay", NONE, NONE,
    Duration.ofMinutes(5), "On SIGTERM, how long readiness reports DOWN, event-bus consumers withdrawn, before the listener closes");

  public static final ConfigKey<String> EMBEDDED_DATA_DIR = ConfigKey.string("embedded.dataDir", ".surge",
    Pattern.compile("\\S.{0,1023}"), "a directory path", "Where the standalone jar's embedded PostgreSQL keeps its data");

  /**
   * The families of keys that components bring (surge-pg's {@code pg.*} and {@code jobs.*}, surge-redis's
   * {@code redis.*} and {@code cache.*}), which were every service's before the components left the core.
   */
  private static final List<String> COMPONENT_FAMILIES = List.of("pg", "redis", "cache", "jobs");

  /**
   * Whether {@code name}, a key ({@code pg.poolSize}) or its variable ({@code SURGE_PG_POOL_SIZE}), is a setting of
   * a component the service is not built with: its family is a component's, and of that family the service knows no
   * key but the core's URLs. Such a setting is ignored with a warning, not refused: a file or an environment shared
   * by every service sets it for those that use it. A mistyped key of a family the service has is still refused.
   */
  public static boolean ofAComponentNotBuiltIn(String name, List<ConfigKey<?>> keys) {
    boolean variable = name.startsWith("SURGE_");
    String rest = variable ? name.substring("SURGE_".length()).toLowerCase(java.util.Locale.ROOT) : name;
    int end = rest.indexOf(variable ? '_' : '.');
    String family = end < 0 ? rest : rest.substring(0, end);
    return COMPONENT_FAMILIES.contains(family) && keys.stream()
      .filter(k -> !k.name().equals(PG_URL.name()) && !k.name().equals(REDIS_URL.name()))
      .noneMatch(k -> k.name().startsWith(family + "."));
  }

  public static List<ConfigKey<?>> all() {
    return List.of(SERVICE_NAME, HTTP_HOST, HTTP_PORT, HTTP_INSTANCES, HTTP_THREADING_MODEL, HTTP_REQUEST_TIMEOUT,
      HTTP_MAX_BODY_SIZE, HTTP_MAX_INITIAL_LINE_LENGTH, HTTP_MAX_HEADER_SIZE, HTTP_MAX_HEADERS, HTTP_IDLE_TIMEOUT,
      HTTP_ACCEPT_BACKLOG, HTTP_MAX_IN_FLIGHT, HTTP_MAX_QUEUED, HTTP_RETRY_AFTER, HTTP_MAX_REQUESTS,
      HTTP_MAX_REQUESTS_JITTER, ADMIN_PORT, ADMIN_HOST, ADMIN_TOKEN, SUPERVISOR_BACKOFF, SUPERVISOR_MAX_BACKOFF,
      WATCHDOG_FAIL_AFTER, VERTX_EVENT_LOOPS, VERTX_WORKER_POOL_SIZE, VERTX_TRANSPORT,
      VERTX_MAX_EVENT_LOOP_EXECUTE_TIME, WORKER_EXECUTORS, WORKER_MAX_EXECUTE_TIME, LOG_LEVEL,
      LOG_FORMAT, LOG_ACCESS, METRICS_ENABLED, TRACING_ENABLED, TRACING_ENDPOINT, TRACING_SAMPLING_RATIO, TRACING_CALLER_TRACES,
      TRACING_SERVICE_NAME, TRACING_MAX_QUEUE_SIZE, TRACING_EXPORT_TIMEOUT, PG_URL, CLUSTER_ENABLED, CLUSTER_NAME, CLUSTER_DISCOVERY, CLUSTER_MEMBERS,
      CLUSTER_KUBERNETES_SERVICE_DNS, CLUSTER_HOST,
      CLUSTER_PUBLIC_HOST, CLUSTER_PORT, CLUSTER_EVENT_BUS_PORT, CLUSTER_FAIL_AFTER, CLUSTER_TLS_ENABLED, CLUSTER_TLS_CERT,
      CLUSTER_TLS_KEY, CLUSTER_TLS_CA, REDIS_URL, SHUTDOWN_GRACE, SHUTDOWN_DELAY, EMBEDDED_DATA_DIR);
  }
}
