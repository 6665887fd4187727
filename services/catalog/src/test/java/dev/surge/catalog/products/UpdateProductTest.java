package dev.surge.catalog.products;

import dev.surge.catalog.CatalogMain;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.surge.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class UpdateProductTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(CatalogMain.definition());


  @Test
  void patchWithTheCurrentEtagUpdatesOnlyTheGivenFieldsAndBumpsTheVersion() {
    JsonObject created = Products.create(service);
    long id = created.getLong("id");
    HttpResponse<Buffer> response = patch(id, "\"1\"", "{\"price\": 15900, \"description\": null}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("ETag")).isEqualTo("\"2\"");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getLong("price")).isEqualTo(15_900);
    assertThat(body.getValue("description")).isNull();
    assertThat(body.getString("name")).isEqualTo(created.getString("name"));
    assertThat(body.getInteger("version")).isEqualTo(2);
    assertThat(service.get("/products/" + id).bodyAsJsonObject()).isEqualTo(body);
  }

  @Test
  void aPatchThatChangesNothingKeepsTheVersionAndTheEtag() {
    JsonObject created = Products.create(service);
    long id = created.getLong("id");
    for (String body : new String[] {"{}", new JsonObject().put("name", created.getString("name")).encode()}) {
      HttpResponse<Buffer> response = patch(id, "\"1\"", body);
      assertThat(response.statusCode()).as(body).isEqualTo(200);
      assertThat(response.getHeader("ETag")).as(body).isEqualTo("\"1\"");
      assertThat(response.bodyAsJsonObject().getInteger("version")).isEqualTo(1);
    }
    assertThat(service.get("/products/" + id).getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(patch(id, "\"1\"", "{\"stock\": 3}").getHeader("ETag")).as("a real change still bumps it")
      .isEqualTo("\"2\"");
  }

  @Test
  void aStaleEtagIs412AndChangesNothing() {
    long id = Products.create(service).getLong("id");
    assertThat(patch(id, "\"1\"", "{\"stock\": 5}").statusCode()).isEqualTo(200);
    assertProblem(patch(id, "\"1\"", "{\"stock\": 9}"), 412, "precondition-failed");
    assertThat(service.get("/products/" + id).bodyAsJsonObject().getInteger("stock")).isEqualTo(5);
  }

  @Test
  void aMissingIfMatchIs428() {
    long id = Products.create(service).getLong("id");
    assertProblem(patch(id, null, "{\"stock\": 9}"), 428, "precondition-required");
  }

  @Test
  void anUnknownProductIs404() {
    assertProblem(patch(987654321, "\"1\"", "{\"stock\": 9}"), 404, "not-found");
  }

  @Test
  void invalidFieldsAre400AndNothingIsHalfWritten() {
    JsonObject created = Products.create(service);
    long id = created.getLong("id");
    JsonObject problem = assertProblem(patch(id, "\"1\"", "{\"name\": \"New name\", \"price\": -5, \"id\": 3}"), 400,
      "validation-failed");
    assertThat(problem.getJsonArray("errors").encode()).contains("\"price\"").contains("\"id\"");
    assertProblem(patch(id, "\"1\"", "{\"sku\": null}"), 400, "validation-failed");
    assertProblem(patch(id, "\"1\"", "{\"saleStartsAt\": \"2026-12-02T00:00:00Z\", \"saleEndsAt\": \"2026-12-01T00:00:00Z\"}"),
      400, "validation-failed");
    assertThat(service.get("/products/" + id).bodyAsJsonObject()).isEqualTo(created);
  }

  @Test
  void anInvalidBodyIs400WhateverTheIdAndTheEtag() {
    JsonObject problem = assertProblem(patch(987654321, "\"1\"", "{\"price\": -5, \"id\": 3}"), 400,
      "validation-failed");
    assertThat(problem.getJsonArray("errors").encode()).contains("\"price\"").contains("\"id\"");
    assertProblem(patch(987654321, "\"1\"", "{\"saleStartsAt\": \"2026-12-02T00:00:00Z\", \"saleEndsAt\": \"2026-12-01T00:00:00Z\"}"),
      400, "validation-failed");
    JsonObject created = Products.create(service);
    assertProblem(patch(created.getLong("id"), "\"7\"", "{\"stock\": \"many\"}"), 400, "validation-failed");
    assertThat(service.get("/products/" + created.getLong("id")).bodyAsJsonObject()).isEqualTo(created);
  }

  @Test
  void takingAnotherProductsSkuIs409() {
    JsonObject first = Products.create(service);
    long second = Products.create(service).getLong("id");
    assertProblem(patch(second, "\"1\"", new JsonObject().put("sku", first.getString("sku")).encode()), 409, "conflict");
  }

  @Test
  void deleteIs204ThenTheProductIsGone() {
    long id = Products.create(service).getLong("id");
    assertThat(service.get("/products/" + id).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> deleted = service.send(HttpMethod.DELETE, "/products/" + id, MultiMap.caseInsensitiveMultiMap(), null);
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertProblem(service.get("/products/" + id), 404, "not-found");
    assertProblem(service.send(HttpMethod.DELETE, "/products/" + id, MultiMap.caseInsensitiveMultiMap(), null), 404,
      "not-found");
  }

  @Test
  void deleteWithAStaleEtagIs412() {
    long id = Products.create(service).getLong("id");
    patch(id, "\"1\"", "{\"stock\": 1}");
    MultiMap stale = MultiMap.caseInsensitiveMultiMap().add("If-Match", "\"1\"");
    assertProblem(service.send(HttpMethod.DELETE, "/products/" + id, stale, null), 412, "precondition-failed");
    assertThat(service.get("/products/" + id).statusCode()).isEqualTo(200);
  }

  private static HttpResponse<Buffer> patch(long id, String ifMatch, String body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/merge-patch+json");
    if (ifMatch != null) {
      headers.add("If-Match", ifMatch);
    }
    return service.send(HttpMethod.PATCH, "/products/" + id, headers, body);
  }
}
