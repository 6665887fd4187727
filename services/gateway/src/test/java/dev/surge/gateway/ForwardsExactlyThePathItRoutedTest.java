package dev.surge.gateway;

import dev.surge.testing.RawHttp;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service gets the path the gateway routed on (normalized, its prefix taken off, the query kept), whatever the
 * client sent; a path whose dot segments climb out of its API's prefix is a 400 problem and reaches no service.
 * Sent over a raw socket: Vert.x's client would normalize these request lines before they left.
 */
class ForwardsExactlyThePathItRoutedTest {

  private static Replicas replicas;
  private static TestService gateway;

  @BeforeAll
  static void start() {
    replicas = new Replicas();
    gateway = Gateways.inFrontOf(replicas.start("catalog"), Map.of("gateway.upstreams.jobs", replicas.start("jobs")));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    replicas.close();
  }

  private static RawHttp.Response get(String target) {
    return RawHttp.send(gateway.port(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port()
      + "\r\nConnection: close\r\n\r\n");
  }

  private static void assertReached(String target, String replica, String seenPath) {
    RawHttp.Response response = get(target);
    assertThat(response.status()).as("%s: %s", target, response.body()).isEqualTo(200);
    assertThat(response.header("X-Replica")).as(target).isEqualTo(replica);
    assertThat(response.header("X-Seen-Path")).as(target).isEqualToIgnoringCase(seenPath);
  }

  private static void assertRefused(String target) {
    assertRefused(target, 400, "bad-request");
  }

  private static void assertRefused(String target, int status, String slug) {
    long before = replicas.requests();
    RawHttp.Response response = get(target);
    assertThat(response.status()).as("%s: %s", target, response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).as(target).isEqualTo("application/problem+json");
    assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("https://surge.dev/problems/" + slug);
    assertThat(response.header("X-Replica")).as(target).isNull();
    assertThat(replicas.requests()).as("%s reached no service", target).isEqualTo(before);
  }

  @Test
  void doubleSlashesAreForwardedAsTheSingleOnesTheyWereRoutedAs() {
    assertReached("/api//catalog/products", "catalog", "/products");
    assertReached("/api/catalog//products//7?q=a//b", "catalog", "/products/7?q=a//b");
    assertReached("/api//catalog/products?limit=1&after=a%2Fb&q=x%20y", "catalog",
      "/products?limit=1&after=a%2Fb&q=x%20y");
    assertReached("/api//catalog?x=1", "catalog", "/?x=1");
  }

  @Test
  void dotSegmentsInsideThePrefixAreResolvedBeforeForwarding() {
    assertReached("/api/catalog/./products/../products/7", "catalog", "/products/7");
    assertReached("/api/catalog/products/%2e%2E/products/8?x=1", "catalog", "/products/8?x=1");
  }

  @Test
  void dotSegmentsThatClimbOutOfThePrefixAreA400() {
    assertRefused("/api/jobs/../catalog/products");
    assertRefused("/api/jobs/%2e%2e/catalog/products");
    assertRefused("/api/jobs/.%2E/catalog/products");
    assertRefused("/api/catalog/products/../../jobs/queues");
    assertRefused("/api/catalog/..");
    assertRefused("/api/jobs/./../catalog/products");
  }

  @Test
  void anEncodedSlashStaysEncodedAndIsNoPathSeparatorUpstream() {
    assertReached("/api/catalog/products/a%2Fb", "catalog", "/products/a%2Fb");
    assertReached("/api/catalog/..%2f..%2fjobs/queues", "catalog", "/..%2f..%2fjobs/queues");
    assertReached("/api/catalog/%2e%2e%2f%2e%2e/jobs", "catalog", "/..%2f../jobs");
  }

  @Test
  void whatMayNotStandInARequestTargetIsPercentEncodedOnTheWay() {
    assertReached("/api/catalog/a<b>\u00e9?q=\"x\"|{}", "catalog", "/a%3Cb%3E%E9?q=%22x%22%7C%7B%7D");
  }

  @Test
  void anAbsoluteFormRequestTargetIsForwardedByItsPath() {
    assertReached("http://127.0.0.1:" + gateway.port() + "/api/catalog/products?limit=2", "catalog",
      "/products?limit=2");
    assertReached("http://example.com/api/jobs/queues", "jobs", "/queues");
  }

  /** Vert.x Web matches no route for it (it did so before too); what matters is that it reaches no service. */
  @Test
  void aTargetWithoutItsLeadingSlashReachesNoService() {
    assertRefused("api/catalog/products", 404, "not-found");
    assertRefused("api/jobs/queues?x=1", 404, "not-found");
  }
}
