package dev.surge.gateway.docs;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two services may each call a schema {@code Item}: in the gateway's one document the second keeps its own under
 * its service's name, and its operations point at it; a component both define alike (the chassis's) is kept once.
 */
class ComponentsTwoServicesNameAlikeAreKeptApartTest {

  @Test
  void theLaterServicesItemIsRenamedAndItsReferencesFollow() {
    JsonObject problem = new JsonObject().put("type", "object");
    JsonObject base = new JsonObject().put("openapi", "3.1.0").put("paths", new JsonObject())
      .put("components", new JsonObject().put("schemas", new JsonObject().put("Problem", problem)));
    Map<String, JsonObject> services = new LinkedHashMap<>();
    services.put("shop", service("/items", new JsonObject().put("type", "string"), problem));
    services.put("store", service("/items", new JsonObject().put("type", "integer"), problem));

    JsonObject document = ContractAggregate.of(base, services, List.of());

    JsonObject schemas = document.getJsonObject("components").getJsonObject("schemas");
    assertThat(schemas.fieldNames()).containsExactlyInAnyOrder("Problem", "Item", "store_Item");
    assertThat(schemas.getJsonObject("Item").getString("type")).isEqualTo("string");
    assertThat(schemas.getJsonObject("store_Item").getString("type")).isEqualTo("integer");
    assertThat(ref(document, "/api/shop/items")).isEqualTo("#/components/schemas/Item");
    assertThat(ref(document, "/api/store/items")).isEqualTo("#/components/schemas/store_Item");
    assertThat(document.getJsonObject("paths").getJsonObject("/api/store/items").getJsonObject("get")
      .getString("operationId")).isEqualTo("storeListItems");
  }

  @Test
  void aComponentAlikeInTextThatPointsAtARenamedOneIsRenamedToo() {
    JsonObject page = new JsonObject().put("type", "array").put("items", new JsonObject()
      .put("$ref", "#/components/schemas/Item"));
    JsonObject base = new JsonObject().put("openapi", "3.1.0").put("paths", new JsonObject())
      .put("components", new JsonObject().put("schemas", new JsonObject()));
    Map<String, JsonObject> services = new LinkedHashMap<>();
    JsonObject shop = service("/items", new JsonObject().put("type", "string"), new JsonObject());
    shop.getJsonObject("components").getJsonObject("schemas").put("Page", page);
    JsonObject store = service("/items", new JsonObject().put("type", "integer"), new JsonObject());
    store.getJsonObject("components").getJsonObject("schemas").put("Page", page.copy());
    services.put("shop", shop);
    services.put("store", store);

    JsonObject schemas = ContractAggregate.of(base, services, List.of()).getJsonObject("components")
      .getJsonObject("schemas");

    assertThat(schemas.getJsonObject("Page").getJsonObject("items").getString("$ref"))
      .isEqualTo("#/components/schemas/Item");
    assertThat(schemas.getJsonObject("store_Page").getJsonObject("items").getString("$ref"))
      .as("the store's page of the store's items").isEqualTo("#/components/schemas/store_Item");
  }

  private static JsonObject service(String path, JsonObject item, JsonObject problem) {
    JsonObject operation = new JsonObject().put("operationId", "listItems").put("responses", new JsonObject()
      .put("200", new JsonObject().put("description", "The items").put("content", new JsonObject()
        .put("application/json", new JsonObject().put("schema", new JsonObject()
          .put("$ref", "#/components/schemas/Item"))))));
    return new JsonObject().put("openapi", "3.1.0").put("info", new JsonObject().put("title", "t").put("version", "1"))
      .put("paths", new JsonObject().put(path, new JsonObject().put("get", operation)))
      .put("components", new JsonObject().put("schemas", new JsonObject().put("Item", item).put("Problem", problem)));
  }

  private static String ref(JsonObject document, String path) {
    return document.getJsonObject("paths").getJsonObject(path).getJsonObject("get").getJsonObject("responses")
      .getJsonObject("200").getJsonObject("content").getJsonObject("application/json").getJsonObject("schema")
      .getString("$ref");
  }
}
