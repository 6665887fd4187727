package dev.surge.standalone.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Malformed and hostile HTTP/1.1 requests, each made from a seed alone, so a failing one is made again from the
 * seed the test prints. Hand-written rather than with jqwik: the requests are raw bytes sent on sockets in
 * parallel, and what matters is the seed to replay, not shrinking (a failing request is small enough to read).
 *
 * <p>Every address a request names (an {@code http.request} job's URL) is a loopback one or no address at all: a
 * fuzzed job never sends traffic off this machine.
 */
final class HostileRequests {

  /** The services a request is meant for, and the gateway's own paths. */
  enum Service { CATALOG, ORDERS, JOBS, GATEWAY }

  /**
   * One request: what it is meant for, its bytes, and whether its body breaks chunked framing after a valid head
   * (Vert.x closes such a connection unanswered: the request was already dispatched when its body proved
   * unreadable, and no answer can follow a body whose end cannot be found).
   */
  record Request(long seed, Service service, boolean viaGateway, String method, String target, boolean head,
                 String idempotencyKey, boolean breaksFraming, byte[] bytes) {

    String describe() {
      String text = new String(bytes, 0, Math.min(bytes.length, 600), StandardCharsets.ISO_8859_1)
        .replace("\r", "\\r").replace("\n", "\\n\n    ").replace("\0", "\\0");
      return "-Dsurge.fuzz.case=" + service + "," + viaGateway + "," + seed + ", "
        + bytes.length + " bytes:\n    " + text + (bytes.length > 600 ? "..." : "");
    }
  }

  private static final String[] METHODS = {"GET", "GET", "GET", "POST", "POST", "POST", "PATCH", "DELETE", "PUT",
    "HEAD", "OPTIONS"};
  private static final String[] ODD_METHODS = {"TRACE", "FOO", "get", "PROPFIND", "MKCOL", "BREW", "G\u0001T",
    "X".repeat(300), "PATCH ", "CONNECT", "PRI", "DELETE\t"};
  private static final String[] SEGMENTS = {"1", "2", "0", "-1", "%", "%zz", "%0", "%00", "%2e%2e", "..", ".",
    "%2f", "%2F..%2F", "%252e", "9223372036854775808", "99999999999999999999999", "1e9", "0x10", "abc", "",
    "%ff%fe", "%c0%af", "\u00e9", "%e9", "%ef%bf%bf", "<script>", "'%20OR%201=1--", "1;DROP", "~", "%20", "+", "*",
    "$(id)", "..%2f..%2f", "3f6c2a4e-0d1b-4c3e-9a57-2f1e8b6d4c10", "00000000-0000-0000-0000-000000000000",
    "g", "\u0000", "\u0007", "a\tb", "%0d%0aX-Injected:%201", "events", "cancel", "retry"};
  private static final String[] QUERIES = {"limit=-1", "limit=0", "limit=101", "limit=abc", "limit=1e99",
    "limit=99999999999999999999", "limit=%", "cursor=garbage", "cursor=YWZ0ZXI6Mg", "cursor=%zz", "cursor=",
    "state=nope", "state=running", "queue=%00", "type=..", "customerId=", "customerId=" + "c".repeat(5000),
    "limit=1&limit=2", "a=%", "=&=&&", "%=%", "x=\u00e9", "queries=abc", "limit=20&cursor=YWZ0ZXI6LTE"};
  private static final String[] CONTENT_TYPES = {"application/json", "application/json", "application/json",
    "application/merge-patch+json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
    "application/json; charset=utf-16", "application/json; charset=\u0000", "application/xml", "*/*", "",
    "application/json;;;", "APPLICATION/JSON"};
  private static final Object[] HOSTILE_VALUES = {null, "", " ", "\u0000", "\u0000\u0001\u001f", "\ud800",
    "\uffff", "\u202e", "x".repeat(70_000), -1, 0, -0.0, 1.5, Long.MAX_VALUE, Long.MIN_VALUE, 1e308,
    new java.math.BigInteger("123456789012345678901234567890"), true, false, new JsonArray(), new JsonObject(),
    new JsonArray().add(1).add("a"), new JsonObject().put("$ne", 1), "NaN", "Infinity", "2026-13-45T99:99:99Z",
    "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "EUR", "eur", "EURO", "../../../../etc/passwd", "/etc/passwd",
    "..", "%2e%2e%2f", "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://127.0.0.1/a}"};

  private HostileRequests() {
  }

  /** The request made from this seed, for a service, sent to {@code port} (the gateway's when via the gateway). */
  static Request make(long seed, Service service, boolean viaGateway, int port) {
    SplittableRandom r = new SplittableRandom(seed);
    String method = r.nextInt(10) == 0 ? pick(r, ODD_METHODS) : pick(r, METHODS);
    String path = prefix(r, service, viaGateway) + path(r, service);
    if (r.nextInt(4) == 0) {
      path += "?" + pick(r, QUERIES) + (r.nextBoolean() ? "" : "&" + pick(r, QUERIES));
    }
    String target = switch (r.nextInt(30)) {
      case 0 -> "http://127.0.0.1:" + port + path;
      case 1 -> path.substring(1);
      case 2 -> "*";
      case 3 -> path + "/" + "a".repeat(r.nextInt(2) == 0 ? 9_000 : 70_000);
      case 4 -> path + "#frag";
      default -> path;
    };
    List<String[]> headers = new ArrayList<>();
    switch (r.nextInt(20)) {
      case 0 -> { } // no Host
      case 1 -> {
        headers.add(new String[] {"Host", "127.0.0.1"});
        headers.add(new String[] {"Host", "evil.example"});
      }
      case 2 -> headers.add(new String[] {"Host", "a b\u0001"});
      default -> headers.add(new String[] {"Host", "127.0.0.1:" + port});
    }
    String idempotencyKey = service == Service.ORDERS || r.nextInt(8) == 0 ? idempotencyKey(r) : null;
    if (idempotencyKey != null) {
      headers.add(new String[] {"Idempotency-Key", idempotencyKey});
    }
    addHostileHeaders(r, headers);
    byte[] body = (method.equals("GET") || method.equals("HEAD")) && r.nextInt(4) != 0 ? null : body(r, service);
    if (body != null || r.nextInt(6) == 0) {
      String contentType = pick(r, CONTENT_TYPES);
      if (!contentType.isEmpty()) {
        headers.add(new String[] {"Content-Type", contentType});
      }
    }
    headers.add(new String[] {"Connection", r.nextInt(5) == 0 ? "keep-alive" : "close"});
    boolean[] breaksFraming = new boolean[1];
    byte[] bytes = frame(r, method + " " + target + " HTTP/1.1", headers, body, breaksFraming);
    // The method as the server reads it: HTTP/1.1 parsers take "DELETE\t" for DELETE.
    return new Request(seed, service, viaGateway, method.strip(), target, method.equals("HEAD"), idempotencyKey,
      breaksFraming[0], bytes);
  }

  private static String prefix(SplittableRandom r, Service service, boolean viaGateway) {
    if (!viaGateway || service == Service.GATEWAY) {
      return "";
    }
    String name = service.name().toLowerCase();
    return switch (r.nextInt(25)) {
      case 0 -> "/api//" + name;
      case 1 -> "/api/" + name.toUpperCase();
      case 2 -> "/api/%2e%2e/" + name;
      case 3 -> "/api/jobs/../" + name;
      case 4 -> "/api/" + name + "%2f..";
      default -> "/api/" + name;
    };
  }

  private static String path(SplittableRandom r, Service service) {
    String id = pick(r, SEGMENTS);
    return switch (service) {
      case CATALOG -> pick(r, new String[] {"/products", "/products", "/products/" + id, "/products/" + id + "/" + id,
        "/health/ready", "/metrics", "/" + id});
      case ORDERS -> pick(r, new String[] {"/orders", "/orders", "/orders/" + id, "/orders/" + id + "/cancel",
        "/orders/" + id + "/" + id, "/" + id});
      case JOBS -> pick(r, new String[] {"/jobs", "/jobs", "/jobs/" + id, "/jobs/" + id + "/cancel",
        "/jobs/" + id + "/retry", "/queues", "/queues/" + id + "/pause", "/queues/" + id + "/resume", "/" + id});
      case GATEWAY -> pick(r, new String[] {"/", "/api", "/api/", "/api/" + id, "/api/" + id + "/products",
        "/api/../admin/restart", "/health/ready", "/" + id, "//api/catalog/products", "/api/catalog/../../etc/passwd",
        "/api/%2e%2e/%2e%2e/metrics", "/API/catalog/products", "/api/catalog%2fproducts", "/openapi.json",
        "/console/", "/console/api/overview", "/console/api/instances", "/console/api/instances/" + id + "/" + id
          + "/" + id, "/console/api/instances/catalog/" + id + "/restart", "/console/%2e%2e/Console.class",
        "/docs/", "/docs/swagger-ui/" + id});
    };
  }

  private static String idempotencyKey(SplittableRandom r) {
    return switch (r.nextInt(6)) {
      case 0 -> "";
      case 1 -> "k".repeat(300);
      case 2 -> "\u0001bad";
      case 3 -> "key with spaces";
      default -> "fuzz-" + Long.toHexString(r.nextLong());
    };
  }

  private static void addHostileHeaders(SplittableRandom r, List<String[]> headers) {
    for (int i = r.nextInt(4); i > 0; i--) {
      headers.add(switch (r.nextInt(16)) {
        case 0 -> new String[] {"X-Long", "v".repeat(r.nextBoolean() ? 9_000 : 70_000)};
        case 1 -> new String[] {"X-Control", "a\u0001b\u007f"};
        case 2 -> new String[] {"If-Match", pick(r, new String[] {"\"1\"", "*", "W/\"1\"", "garbage", "\"-1\"",
          "\"99999999999999999999\""})};
        case 3 -> new String[] {"If-None-Match", pick(r, new String[] {"\"1\"", "*", "\"", ""})};
        case 4 -> new String[] {"Authorization", pick(r, new String[] {"Bearer ", "Bearer x", "Basic Og==",
          "Bearer " + "k".repeat(5000), "Bearer surge-dev-key"})};
        case 5 -> new String[] {"X-Forwarded-For", pick(r, new String[] {"127.0.0.1", "10.0.0.1, 127.0.0.1",
          "garbage", "::1"})};
        case 6 -> new String[] {"Forwarded", "for=127.0.0.1;proto=https"};
        case 7 -> new String[] {"Expect", pick(r, new String[] {"100-continue", "nope"})};
        case 8 -> new String[] {"Accept", pick(r, new String[] {"text/event-stream", "application/xml", "*/*;q=x"})};
        case 9 -> new String[] {"X-Request-Id", pick(r, new String[] {"", "id\u0001", "r".repeat(500), "ok-1"})};
        case 10 -> new String[] {"Content-Encoding", "gzip"};
        case 11 -> new String[] {"Origin", "https://evil.example"};
        case 12 -> new String[] {"Range", "bytes=0-1,1-2"};
        case 13 -> new String[] {"Bad Header", "x"};
        case 14 -> new String[] {"X-Folded", "a\r\n b"};
        default -> new String[] {"Cookie", "a=" + "c".repeat(r.nextInt(2000))};
      });
    }
    if (r.nextInt(40) == 0) {
      for (int i = 0; i < 300; i++) {
        headers.add(new String[] {"X-Many-" + i, "v"});
      }
    }
  }

  private static byte[] body(SplittableRandom r, Service service) {
    JsonObject valid = switch (service) {
      case CATALOG, GATEWAY -> new JsonObject().put("sku", "FZ-" + Long.toHexString(r.nextLong())).put("name", "Fuzz")
        .put("price", 100).put("currency", "EUR").put("stock", 3);
      case ORDERS -> new JsonObject().put("customerId", "fuzz").put("lines", new JsonArray()
        .add(new JsonObject().put("productId", r.nextInt(5)).put("quantity", 1)));
      case JOBS -> job(r);
    };
    return switch (r.nextInt(14)) {
      case 0 -> truncated(r, valid.encode());
      case 1 -> nested(r.nextBoolean() ? 5_000 : 200_000);
      case 2 -> (valid.encode() + pick(r, new String[] {"}", ",", "garbage", "\u0000", "{}"})).getBytes(StandardCharsets.UTF_8);
      case 3 -> new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'};
      case 4 -> pick(r, new String[] {"", "null", "[]", "1", "\"s\"", "{\"a\":1,\"a\":2}", "\ufeff{}", "{'a':1}",
        "{\"price\": 1e400}", "{\"stock\": -0}", "{\"a\":NaN}"}).getBytes(StandardCharsets.UTF_8);
      case 5 -> new byte[r.nextBoolean() ? 1_500_000 : 20_000];
      default -> mutated(r, valid).encode().getBytes(StandardCharsets.UTF_8);
    };
  }

  /** A job of a type the service runs (or not), whose arguments name loopback addresses only. */
  private static JsonObject job(SplittableRandom r) {
    JsonObject args = switch (r.nextInt(6)) {
      case 0 -> new JsonObject().put("ms", r.nextInt(50));
      case 1 -> new JsonObject().put("url", pick(r, new String[] {"http://127.0.0.1:1/", "ftp://127.0.0.1/",
        "http://", "http://[::1", "http://127.0.0.1:99999/", "javascript:alert(1)", "http://u:p@127.0.0.1:1/",
        "file:///etc/passwd", "http://127.0.0.1:1/%zz", "gopher://127.0.0.1:1/_x"}))
        .put("headers", new JsonObject().put("Authorization", "Bearer secret"));
      case 2 -> new JsonObject().put("path", pick(r, new String[] {"../../etc/passwd", "/etc/passwd", "a/../../b",
        "nope.txt", "", "%2e%2e/x"}));
      case 3 -> new JsonObject().put("report", pick(r, new String[] {"products", "nope", ""}));
      default -> new JsonObject();
    };
    return new JsonObject().put("type", pick(r, new String[] {"sleep", "noop", "http.request", "file.compress",
      "report.export", "order.release", "order.fulfil", "NOPE"})).put("args", args)
      .put("queue", pick(r, new String[] {"default", "default", "orders", "q" + r.nextInt(1000), "BAD QUEUE"}));
  }

  private static JsonObject mutated(SplittableRandom r, JsonObject valid) {
    JsonObject body = valid.copy();
    List<String> fields = new ArrayList<>(body.fieldNames());
    for (int i = 1 + r.nextInt(3); i > 0; i--) {
      String field = fields.get(r.nextInt(fields.size()));
      switch (r.nextInt(4)) {
        case 0 -> body.remove(field);
        case 1 -> body.put("unknown" + r.nextInt(3), pick(r, HOSTILE_VALUES));
        default -> body.put(field, pick(r, HOSTILE_VALUES));
      }
    }
    return body;
  }

  private static byte[] truncated(SplittableRandom r, String json) {
    return json.substring(0, r.nextInt(json.length())).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] nested(int depth) {
    return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.US_ASCII);
  }

  /** The request's head and body, with its length stated right or with one of the framing tricks. */
  private static byte[] frame(SplittableRandom r, String requestLine, List<String[]> headers, byte[] body,
                              boolean[] breaksFraming) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] content = body == null ? new byte[0] : body;
    int trick = r.nextInt(40);
    List<String[]> all = new ArrayList<>(headers);
    boolean chunked = false;
    switch (trick) {
      case 0 -> {
        all.add(new String[] {"Transfer-Encoding", "chunked"});
        all.add(new String[] {"Content-Length", String.valueOf(content.length)});
        chunked = true;
      }
      case 1 -> {
        all.add(new String[] {"Transfer-Encoding", "chunked"});
        chunked = true;
      }
      case 2 -> {
        String encoding = pick(r, new String[] {"gzip", "chunked, identity", "xchunked", "\tchunked", "identity",
          "gzip, chunked", "CHUNKED"});
        all.add(new String[] {"Transfer-Encoding", encoding});
        chunked = encoding.trim().toLowerCase().endsWith("chunked") && !encoding.startsWith("x");
      }
      case 3 -> {
        all.add(new String[] {"Content-Length", String.valueOf(content.length)});
        all.add(new String[] {"Content-Length", String.valueOf(content.length + 1)});
      }
      case 4 -> all.add(new String[] {"Content-Length", pick(r, new String[] {"-5", "abc", "99999999999999999999",
        "1, 2", "+3", ""})});
      case 5 -> all.add(new String[] {"Content-Length", String.valueOf(content.length / 2)});
      case 6 -> { } // a body without a length: read as the next request
      default -> {
        if (body != null) {
          all.add(new String[] {"Content-Length", String.valueOf(content.length)});
        }
      }
    }
    write(out, requestLine + "\r\n");
    for (String[] header : all) {
      write(out, header[0] + ": " + header[1] + "\r\n");
    }
    write(out, "\r\n");
    if (chunked) {
      if (r.nextInt(3) == 0) {
        write(out, "zz\r\n");
        breaksFraming[0] = true;
      }
      if (content.length > 0) {
        write(out, Integer.toHexString(content.length) + "\r\n");
        out.writeBytes(content);
        write(out, "\r\n");
      }
      write(out, "0\r\n\r\n");
    } else {
      out.writeBytes(content);
    }
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  private static <T> T pick(SplittableRandom r, T[] choices) {
    return choices[r.nextInt(choices.length)];
  }
}
