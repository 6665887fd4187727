package dev.surge.catalog.products;

import dev.surge.redis.RedisComponent;
import dev.surge.catalog.CatalogMain;
import dev.surge.config.ChassisKeys;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static dev.surge.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class ReadProductTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(CatalogMain.definition());


  @Test
  void aProductIsReadWithItsEtag() {
    JsonObject created = Products.create(service);
    HttpResponse<Buffer> response = service.get("/products/" + created.getLong("id"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject()).isEqualTo(created);
  }

  @Test
  void ifNoneMatchWithTheCurrentEtagIs304() {
    long id = Products.create(service).getLong("id");
    HttpResponse<Buffer> notModified = service.get("/products/" + id, headers("If-None-Match", "\"1\""));
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isNull();
    assertThat(service.get("/products/" + id, headers("If-None-Match", "W/\"1\"")).statusCode()).isEqualTo(304);
    assertThat(service.get("/products/" + id, headers("If-None-Match", "\"0\", \"7\"")).statusCode()).isEqualTo(200);
  }

  @Test
  void headIsGetWithoutTheBody() {
    JsonObject created = Products.create(service);
    HttpResponse<Buffer> head = TestService.await(service.client().head("/products/" + created.getLong("id")).send());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(head.body()).isNull();
    assertThat(TestService.await(service.client().head("/health/live").send()).statusCode()).isEqualTo(200);
  }

  @Test
  void aCorruptCachedEntryIsReloadedFromTheDatabase() {
    long id = Products.create(service).getLong("id");
    service.get("/products/" + id);
    TestService.await(redis().set(List.of(cacheKey(id), "{not json")));
    HttpResponse<Buffer> response = service.get("/products/" + id);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getLong("id")).isEqualTo(id);
  }

  @Test
  void aCachedEntryLivesForTheConfiguredTtl() {
    long id = Products.create(service).getLong("id");
    service.get("/products/" + id);
    long ttlMs = TestService.await(redis().pttl(cacheKey(id))).toLong();
    assertThat(ttlMs).isPositive().isLessThanOrEqualTo(60_000);
  }

  @Test
  void anUnknownIdIs404() {
    assertProblem(service.get("/products/999999999"), 404, "not-found");
  }

  @Test
  void aNonNumericOrOutOfRangeIdIs400() {
    assertProblem(service.get("/products/abc"), 400, "validation-failed");
    assertProblem(service.get("/products/-1"), 400, "validation-failed");
    assertProblem(service.get("/products/0"), 400, "validation-failed");
    assertProblem(service.get("/products/99999999999999999999999"), 400, "validation-failed");
  }

  private static RedisAPI redis() {
    return RedisComponent.cache(service.running().context()).api();
  }

  private static String cacheKey(long id) {
    return service.running().context().config().get(dev.surge.redis.RedisKeys.CACHE_NAMESPACE) + ":products:" + id;
  }

  private static MultiMap headers(String name, String value) {
    return MultiMap.caseInsensitiveMultiMap().add(name, value);
  }
}
