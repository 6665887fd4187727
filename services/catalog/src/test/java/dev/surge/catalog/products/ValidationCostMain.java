package dev.surge.catalog.products;

import dev.surge.http.ApiContract;
import dev.surge.http.JsonInput;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What validating a product's creation costs: the catalog's own (JsonInput, ProductInput) against vertx-openapi's
 * RequestValidator on the same body and the catalog's contract, one request after another on one thread, each
 * validation waited for (the validator hands each body to a worker thread and back). Not a test: run it by hand
 * (docs/BENCHMARKS.md, "Request validation"):
 * <pre>
 *   java -cp "$(cat cp.txt):services/catalog/target/test-classes:services/catalog/target/classes" \
 *     dev.surge.catalog.products.ValidationCostMain
 * </pre>
 */
public final class ValidationCostMain {

  private static final String BODY = "{\"sku\": \"SKU-1\", \"name\": \"Espresso machine\", \"description\": "
    + "\"Fifteen bars\", \"price\": 19900, \"currency\": \"EUR\", \"stock\": 25}";

  private ValidationCostMain() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject document = ApiContract.fromResource("openapi/catalog.json").document();
      // vertx-openapi 5.0 does not load a contract with application/problem+json answers: those are renamed.
      String readable = document.encode().replace("application/problem+json", "application/json")
        .replace("application/merge-patch+json", "application/json");
      OpenAPIContract contract = OpenAPIContract.from(vertx, new JsonObject(readable))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      RequestValidator validator = RequestValidator.create(vertx, contract);
      for (int round = 0; round < rounds; round++) {
        long ownNanos = time(count, () -> ProductInput.forCreate(JsonInput.of(new JsonObject(BODY))));
        long libraryNanos = time(count, () -> {
          RequestParameter body = new RequestParameterImpl(Buffer.buffer(BODY));
          ValidatableRequest request = new ValidatableRequestImpl(Map.of(), Map.of(), Map.of(), Map.of(), body,
            "application/json");
          validator.validate(request, "createProduct").toCompletionStage().toCompletableFuture().join();
        });
        // Its throughput rather than its latency: a thousand validations in flight at a time.
        long start = System.nanoTime();
        for (int batch = 0; batch < count / 1000; batch++) {
          java.util.List<io.vertx.core.Future<?>> inFlight = new java.util.ArrayList<>();
          for (int i = 0; i < 1000; i++) {
            inFlight.add(validator.validate(new ValidatableRequestImpl(Map.of(), Map.of(), Map.of(), Map.of(),
              new RequestParameterImpl(Buffer.buffer(BODY)), "application/json"), "createProduct"));
          }
          io.vertx.core.Future.all(inFlight).toCompletionStage().toCompletableFuture().join();
        }
        long batchedNanos = System.nanoTime() - start;
        System.out.printf("round %d: JsonInput %.2f us/request; vertx-openapi %.2f us/request one at a time (%.0fx), "
            + "%.2f us/request a thousand at a time (%.0fx)%n", round, ownNanos / 1000.0 / count,
          libraryNanos / 1000.0 / count, (double) libraryNanos / ownNanos, batchedNanos / 1000.0 / count,
          (double) batchedNanos / ownNanos);
      }
    } finally {
      vertx.close();
    }
  }

  private static long time(int count, Runnable validation) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      validation.run();
    }
    return System.nanoTime() - start;
  }
}
