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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static dev.surge.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class CreateProductTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(CatalogMain.definition(), Map.of("http.maxBodySize", "16KiB"));


  @Test
  void createdProductIs201WithLocationEtagAndEveryField() {
    JsonObject input = Products.newProduct().put("saleStartsAt", "2026-12-01T09:00:00Z")
      .put("saleEndsAt", "2026-12-01T12:00:00+01:00");
    HttpResponse<Buffer> response = service.postJson("/products", input);

    assertThat(response.statusCode()).isEqualTo(201);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(response.getHeader("Location")).isEqualTo("/products/" + body.getLong("id"));
    assertThat(response.getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(body.getString("sku")).isEqualTo(input.getString("sku"));
    assertThat(body.getString("name")).isEqualTo("Espresso machine");
    assertThat(body.getString("description")).isEqualTo("Fifteen bars of pressure");
    assertThat(body.getLong("price")).isEqualTo(19_900);
    assertThat(body.getString("currency")).isEqualTo("EUR");
    assertThat(body.getInteger("stock")).isEqualTo(25);
    assertThat(body.getString("saleStartsAt")).isEqualTo("2026-12-01T09:00:00Z");
    assertThat(body.getString("saleEndsAt")).as("offsets are normalised to UTC").isEqualTo("2026-12-01T11:00:00Z");
    assertThat(body.getInteger("version")).isEqualTo(1);
    assertThat(body.getString("createdAt")).isNotBlank();
    assertThat(body.getString("updatedAt")).isNotBlank();

    HttpResponse<Buffer> read = service.get(response.getHeader("Location"));
    assertThat(read.bodyAsJsonObject()).isEqualTo(body);
  }

  @Test
  void duplicateSkuIs409AndStoresNothing() throws Exception {
    JsonObject product = Products.newProduct();
    Products.create(service, product);
    long before = Products.count(service);
    JsonObject problem = assertProblem(service.postJson("/products", product.copy().put("name", "Other")), 409, "conflict");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("sku");
    assertThat(Products.count(service)).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
    negative price           | price       | -1
    fractional price         | price       | 12.5
    price as a string        | price       | "100"
    negative stock           | stock       | -3
    stock over int range     | stock       | 3000000000
    stock as boolean         | stock       | true
    empty name               | name        | ""
    name as a number         | name        | 42
    over-long name           | name        | "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN"
    sku with spaces          | sku         | "a b"
    lower-case currency      | currency    | "eur"
    unknown currency         | currency    | "XYZ"
    sale end before start    | saleEndsAt  | "2026-11-30T00:00:00Z"
    date without offset      | saleStartsAt| "2026-12-01T09:00:00"
    date past the year 9999  | saleEndsAt  | "+294277-01-05T00:00:00Z"
    date before the year 1   | saleStartsAt| "-5000-01-01T00:00:00Z"
    unknown field            | colour      | "red"
    read-only id             | id          | 7
    read-only version        | version     | 3
    """)
  void badFieldIs400NamingItAndStoresNothing(String why, String field, String json) throws Exception {
    long before = Products.count(service);
    JsonObject input = Products.newProduct().put("saleStartsAt", "2026-12-01T00:00:00Z")
      .put(field, new JsonObject("{\"v\":" + json + "}").getValue("v"));
    JsonObject problem = assertProblem(service.postJson("/products", input), 400, "validation-failed");
    assertThat(problem.getJsonArray("errors").encode()).contains("\"field\":\"" + field + "\"");
    assertThat(Products.count(service)).isEqualTo(before);
  }

  @Test
  void missingRequiredFieldsAreAllListed() {
    JsonObject problem = assertProblem(service.postJson("/products", new JsonObject().put("name", "x")), 400,
      "validation-failed");
    assertThat(problem.getJsonArray("errors").encode()).contains("\"sku\"").contains("\"price\"")
      .contains("\"currency\"").contains("\"stock\"");
  }

  @Test
  void malformedJsonIs400() {
    MultiMap json = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    assertProblem(service.send(HttpMethod.POST, "/products", json, "{\"sku\": \"a\","), 400, "malformed-json");
    assertProblem(service.send(HttpMethod.POST, "/products", json, "null"), 400, "malformed-json");
  }

  @Test
  void bodyOverTheLimitIs413() {
    JsonObject huge = Products.newProduct().put("description", "d".repeat(20_000));
    assertProblem(service.postJson("/products", huge), 413, "payload-too-large");
  }
}
