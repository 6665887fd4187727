package dev.surge.jobservice.http;

import dev.surge.http.JsonInput;
import dev.surge.jobs.JobContext;
import dev.surge.jobs.JobCancelledException;
import dev.surge.jobs.JobHandler;
import dev.surge.jobs.PermanentJobFailure;
import dev.surge.jobs.SecretArgs;
import dev.surge.jobservice.types.JobType;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code http.request}: sends one HTTP request and records the response's status, body size, SHA-256 digest and
 * content type, on an event loop. The body is streamed through the digest, never held whole; a body larger than
 * {@code jobs.http.maxResponseSize} fails the attempt and closes the connection. A 5xx or 429 answer fails the
 * attempt (so it is retried); any other status, 4xx included, completes the job with the status recorded.
 * Redirects are followed up to {@code jobs.http.maxRedirects}, each hop checked like the first.
 *
 * <p>Where a job may connect is {@link Destinations}' decision, made on the address it connects to: the URL's
 * host is resolved once (by the JDK's resolver, on a small worker pool, so {@code /etc/hosts} and search domains
 * apply as everywhere else), every address it resolves to is checked, and the request goes to exactly the
 * checked address ({@link RequestOptions#setServer}), the host name kept for the {@code Host} header, SNI and
 * certificate checks. A DNS answer that changes after the check is never used. A refused destination fails
 * the job permanently ({@link PermanentJobFailure}): no retry would be allowed either.
 *
 * <p>The core {@link HttpClient} rather than the web client: when a piped body stream fails, Vert.x 5.0's
 * {@code WebClient} goes on reading (and discarding) the rest of the response, so an endless body would never
 * stop; the core client lets the job reset the stream at the cap, on cancellation and at its timeout.
 *
 * <p>Args: {@code url} (required, absolute http or https URL), {@code method} (GET by default; GET, HEAD, POST,
 * PUT, PATCH, DELETE or OPTIONS), {@code headers} (an object of up to 50 string values), {@code body} (a string
 * of up to 1 MiB, for POST, PUT and PATCH only).
 */
public final class HttpRequestJob implements JobType {

  public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  public static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");
  public static final int MAX_URL_LENGTH = 2048;
  public static final int MAX_HEADERS = 50;
  public static final int MAX_HEADER_VALUE_LENGTH = 8192;
  public static final int MAX_BODY_BYTES = 1024 * 1024;
  static final long CONNECT_TIMEOUT_MS = 30_000;
  static final long IDLE_TIMEOUT_MS = 60_000;

  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
  /** Framing headers the client sets itself; a wrong one would corrupt the request. */
  private static final Set<String> RESERVED_HEADERS = Set.of("content-length", "transfer-encoding", "connection");

  /** Threads that resolve host names (the JDK's lookup blocks); a slow DNS server holds up only these. */
  static final int RESOLVER_THREADS = 4;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  /**
   * The only headers a redirect to another origin carries on: every header value of a job is declared secret
   * (an API key may be in any of them), so none but these content headers follows the job off its origin.
   */
  private static final Set<String> CROSS_ORIGIN_HEADERS = Set.of("accept", "accept-language", "content-type",
    "user-agent");

  private final HttpClient client;
  private final WorkerExecutor resolver;
  private final HttpRequestJobOptions options;
  private final Destinations destinations;

  /** @throws IllegalArgumentException when {@code options}' allowed hosts name something that is not a host */
  public HttpRequestJob(Vertx vertx, HttpRequestJobOptions options) {
    this.options = options;
    this.destinations = new Destinations(options.getAllowedHosts(), options.isAllowPrivateNetworks());
    // The core client rather than a WebClient: only it lets an over-long response be cut off (reset) instead of
    // being drained to its end.
    // Untraced: a destination outside the platform gets no traceparent, and its URL (which may carry credentials in
    // its query) goes in no span.
    this.client = vertx.createHttpClient(new HttpClientOptions().setTracingPolicy(TracingPolicy.IGNORE)
        .setConnectTimeout((int) CONNECT_TIMEOUT_MS)
        .setIdleTimeout((int) (IDLE_TIMEOUT_MS / 1000)),
      new PoolOptions().setHttp1MaxSize(20));
    this.resolver = vertx.createSharedWorkerExecutor("surge-http-request-resolver", RESOLVER_THREADS);
  }

  @Override
  public String name() {
    return "http.request";
  }

  @Override
  public ThreadingModel threadingModel() {
    return ThreadingModel.EVENT_LOOP;
  }

  @Override
  public void validate(JsonInput args) {
    args.onlyFields(Set.of("method", "url", "headers", "body"), Set.of());
    String method = args.string("method", false, 1, 16, null, null);
    args.error("method", "must be one of " + String.join(", ", METHODS.stream().sorted().toList()),
      method != null && !METHODS.contains(method));
    String url = args.string("url", true, 1, MAX_URL_LENGTH, null, null);
    if (url != null) {
      String problem = urlProblem(url);
      args.error("url", problem, problem != null);
    }
    validateHeaders(args);
    String body = args.string("body", false, 0, MAX_BODY_BYTES, null, null);
    if (body != null) {
      args.error("body", "must be at most 1 MiB in UTF-8", body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES);
      args.error("body", "is only allowed with POST, PUT or PATCH",
        !METHODS_WITH_BODY.contains(method == null ? "GET" : method));
    }
  }

  /** Why the URL cannot be requested, as far as it shows without a lookup; null when it may be. */
  private String urlProblem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "must be a valid absolute URL";
    }
    return urlProblem(uri);
  }

  private String urlProblem(URI uri) {
    if (!uri.isAbsolute()) {
      return "must be an absolute http or https URL";
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "must use the http or https scheme";
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return "must name a host";
    }
    String refused = destinations.hostProblem(uri.getHost());
    return refused == null ? null : "is refused: " + refused;
  }

  private static void validateHeaders(JsonInput args) {
    Object value = args.json().getValue("headers");
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonObject headers)) {
      args.error("headers", "must be a JSON object of header names to string values", true);
      return;
    }
    args.error("headers", "must have at most " + MAX_HEADERS + " entries", headers.size() > MAX_HEADERS);
    for (Map.Entry<String, Object> header : headers) {
      String name = header.getKey();
      String field = "headers." + name;
      if (!HEADER_NAME.matcher(name).matches()) {
        args.error(field, "is not a valid header name", true);
      } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        args.error(field, "is set by the client and cannot be given", true);
      } else if (!(header.getValue() instanceof String s)) {
        args.error(field, "must be a string", true);
      } else if (s.length() > MAX_HEADER_VALUE_LENGTH || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0
        || s.indexOf('\0') >= 0) {
        args.error(field, "must be at most " + MAX_HEADER_VALUE_LENGTH + " characters, without line breaks", true);
      }
    }
  }

  @Override
  public JobHandler handler() {
    return this::run;
  }

  /**
   * Every header's value (an Authorization, a cookie, an API key), its name kept; and the URL's user info, query and
   * fragment (a password, a token in a webhook's query string), its scheme, host and path kept.
   */
  @Override
  public SecretArgs secretArgs() {
    return SecretArgs.of("headers.*").withUrls("url");
  }

  private Future<JsonObject> run(JobContext job) {
    JsonObject args = job.args();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    args.getJsonObject("headers", new JsonObject()).forEach(h -> headers.add(h.getKey(), (String) h.getValue()));
    Hop first;
    try {
      first = new Hop(HttpMethod.valueOf(args.getString("method", "GET")), new URI(args.getString("url")), headers,
        args.getString("body"));
    } catch (URISyntaxException | RuntimeException e) {
      return Future.failedFuture(new PermanentJobFailure("url " + args.getString("url") + " is not a valid URL"));
    }
    return job.guard(send(job, first, 0));
  }

  /** One request of the job: the first, or one a redirect leads to. */
  private record Hop(HttpMethod method, URI uri, MultiMap headers, String body) {
  }

  private Future<JsonObject> send(JobContext job, Hop hop, int redirects) {
    if (job.isCancelled()) {
      return Future.failedFuture(new JobCancelledException(job.cancellationReason()));
    }
    String url = display(hop.uri());
    Future<HttpClientRequest> sent = destination(hop.uri()).compose(to -> client.request(requestOptions(hop, to)));
    return sent.compose(request -> {
      // Cut the exchange off when the attempt is cancelled or times out, so the connection is not held.
      job.cancelled().onSuccess(v -> request.reset());
      request.headers().addAll(hop.headers());
      Future<HttpClientResponse> response = hop.body() == null ? request.send()
        : request.send(Buffer.buffer(hop.body()));
      return response.compose(r -> {
        boolean redirect = REDIRECTS.contains(r.statusCode()) && r.getHeader(HttpHeaders.LOCATION) != null;
        if (!redirect || options.getMaxRedirects() == 0) {
          return read(request, r, url, redirects);
        }
        cutOff(request, r);
        if (redirects == options.getMaxRedirects()) {
          return Future.failedFuture(new HttpJobFailure("stopped at a redirect from " + url + " after "
            + redirects + " redirects (jobs.http.maxRedirects)"));
        }
        return redirect(hop, r).compose(next -> send(job, next, redirects + 1));
      });
    });
  }

  /**
   * The one address this hop connects to: the host's own if it is an address, else the first the host resolves
   * to, once every address it resolves to has been checked (a name that also resolves to a refused address is
   * refused, so that no resolver order or retry can reach it).
   */
  private Future<InetAddress> destination(URI uri) {
    String problem = urlProblem(uri);
    if (problem != null) {
      return Future.failedFuture(new PermanentJobFailure("url " + display(uri) + " " + problem));
    }
    String host = uri.getHost();
    InetAddress literal = Destinations.literal(host);
    if (literal != null) {
      return Future.succeededFuture(literal);
    }
    return resolver.executeBlocking(() -> InetAddress.getAllByName(host), false)
      .recover(err -> Future.failedFuture(new HttpJobFailure("cannot resolve " + host + ": "
        + (err instanceof UnknownHostException ? "unknown host" : err.getMessage()))))
      .compose(addresses -> {
        if (!destinations.allowsName(host)) {
          for (InetAddress address : addresses) {
            String refusal = destinations.refusal(address);
            if (refusal != null) {
              // The address itself is left out: the job's author need not learn the internal network's layout.
              return Future.failedFuture(new PermanentJobFailure("url " + display(uri) + " is refused: " + host
                + " resolves to " + refusal + "; " + Destinations.ADVICE));
            }
          }
        }
        return Future.succeededFuture(addresses[0]);
      });
  }

  private static RequestOptions requestOptions(Hop hop, InetAddress address) {
    URI uri = hop.uri();
    boolean ssl = uri.getScheme().equalsIgnoreCase("https");
    int port = uri.getPort() >= 0 ? uri.getPort() : ssl ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return new RequestOptions()
      .setMethod(hop.method())
      // The checked address as a literal: nothing resolves the host name again on the way to the connection.
      .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
      .setHost(uri.getHost())
      .setPort(port)
      .setSsl(ssl)
      .setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery())
      .setFollowRedirects(false)
      .setConnectTimeout(CONNECT_TIMEOUT_MS)
      .setIdleTimeout(IDLE_TIMEOUT_MS);
  }

  /**
   * The request a redirect leads to: 303, and 301 or 302 after a POST, become a GET without a body (as
   * browsers do); 307 and 308 repeat the method and body. Credentials go only to the origin they were given for.
   */
  private static Future<Hop> redirect(Hop hop, HttpClientResponse response) {
    URI next;
    try {
      next = hop.uri().resolve(new URI(response.getHeader(HttpHeaders.LOCATION)));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Future.failedFuture(new HttpJobFailure("redirect from " + display(hop.uri()) + " to an invalid location"));
    }
    int status = response.statusCode();
    boolean toGet = hop.method() != HttpMethod.HEAD
      && (status == 303 || (hop.method() == HttpMethod.POST && (status == 301 || status == 302)));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(hop.headers());
    if (toGet) {
      headers.remove(HttpHeaders.CONTENT_TYPE);
    }
    if (!origin(next).equals(origin(hop.uri()))) {
      headers.names().stream().filter(name -> !CROSS_ORIGIN_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT)))
        .toList().forEach(headers::remove);
    }
    return Future.succeededFuture(new Hop(toGet ? HttpMethod.GET : hop.method(), next, headers,
      toGet ? null : hop.body()));
  }

  /** The URL for an error message: without its user information and query, where credentials may be. */
  private static String display(URI uri) {
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
    } catch (URISyntaxException e) {
      return uri.getScheme() + "://" + uri.getHost();
    }
  }

  private static String origin(URI uri) {
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
  }

  private Future<JsonObject> read(HttpClientRequest request, HttpClientResponse response, String url, int redirects) {
    int status = response.statusCode();
    if (status >= 500 || status == 429) {
      cutOff(request, response);
      return Future.failedFuture(new HttpJobFailure("HTTP " + status + " from " + url));
    }
    if (declaredLength(response) > options.getMaxResponseSize()) {
      cutOff(request, response);
      return Future.failedFuture(tooLarge(url));
    }
    MessageDigest digest = sha256();
    Promise<JsonObject> result = Promise.promise();
    long[] bytes = {0};
    response.exceptionHandler(result::tryFail);
    response.handler(chunk -> {
      bytes[0] += chunk.length();
      if (bytes[0] > options.getMaxResponseSize()) {
        result.tryFail(tooLarge(url));
        cutOff(request, response);
        return;
      }
      digest.update(chunk.getBytes());
    });
    response.endHandler(v -> result.tryComplete(new JsonObject()
      .put("status", status)
      .put("bytes", bytes[0])
      .put("sha256", HexFormat.of().formatHex(digest.digest()))
      .put("contentType", response.getHeader(HttpHeaders.CONTENT_TYPE))
      .put("redirects", redirects)));
    return result.future();
  }

  /** Stops reading the response and closes its connection rather than draining it. */
  private static void cutOff(HttpClientRequest request, HttpClientResponse response) {
    response.handler(null);
    // The reset fails the response too: the attempt already has its outcome, so that failure is not news.
    response.exceptionHandler(err -> { });
    request.reset();
  }

  private static long declaredLength(HttpClientResponse response) {
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private HttpJobFailure tooLarge(String url) {
    return new HttpJobFailure("response body from " + url + " is larger than " + options.getMaxResponseSize()
      + " bytes (jobs.http.maxResponseSize)");
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** A response the job refuses: its message is what the attempt's error records. */
  static final class HttpJobFailure extends VertxException {
    HttpJobFailure(String message) {
      super(message, true);
    }
  }
}
