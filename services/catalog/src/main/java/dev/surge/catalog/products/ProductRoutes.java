package dev.surge.catalog.products;

import dev.surge.http.MediaTypes;
import dev.surge.pg.PostgresComponent;
import dev.surge.ServiceContext;
import dev.surge.HttpApi;
import dev.surge.http.JsonInput;
import dev.surge.http.Problem;
import dev.surge.http.Requests;
import dev.surge.redis.ReadThroughCache;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The products API:
 * <pre>
 *   POST   /products                 create (201, Location, ETag); duplicate sku 409
 *   GET    /products?limit=&cursor=  keyset pages of 1..100, with a next link
 *   GET    /products/{id}            through the cache, ETag, If-None-Match 304
 *   PATCH  /products/{id}            JSON merge patch, If-Match required (428), stale 412
 *   DELETE /products/{id}            204, If-Match optional
 * </pre>
 */
public final class ProductRoutes implements HttpApi {

  public static final int DEFAULT_PAGE_SIZE = 20;
  public static final int MAX_PAGE_SIZE = 100;
  private static final Pattern LIMIT = Pattern.compile("[0-9]{1,4}");
  private static final String CURSOR_PREFIX = "after:";

  private final ProductRepository products;
  private final ReadThroughCache<Product> cache;

  public ProductRoutes(ServiceContext context) {
    this.products = new ProductRepository(PostgresComponent.pool(context),
      PostgresComponent.client(context));
    this.cache = Product.cache(context);
  }

  @Override
  public void routes(Router router) {
    router.post("/products").handler(this::create);
    router.get("/products").handler(this::list);
    router.get("/products/:id").handler(this::get);
    router.patch("/products/:id").handler(this::patch);
    router.delete("/products/:id").handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    ProductInput input = ProductInput.forCreate(JsonInput.body(ctx));
    products.insert(input)
      .onSuccess(p -> {
        if (Requests.writable(ctx)) {
          ctx.response().putHeader("Location", "/products/" + p.id());
          send(ctx, 201, p);
        }
      })
      .onFailure(err -> ctx.fail(problemOf(err)));
  }

  private void get(RoutingContext ctx) {
    long id = id(ctx);
    cache.get(String.valueOf(id), () -> products.find(id))
      .onSuccess(p -> {
        if (!Requests.writable(ctx)) {
          return;
        }
        if (p == null) {
          notFound(id).send(ctx);
        } else if (EntityTags.matches(ctx.request().getHeader("If-None-Match"), p.etag(), true)) {
          ctx.response().putHeader("ETag", p.etag()).setStatusCode(304).end();
        } else {
          send(ctx, 200, p);
        }
      })
      .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    int limit = limit(ctx);
    long after = cursor(ctx);
    products.page(after, limit + 1)
      .onSuccess(page -> {
        if (!Requests.writable(ctx)) {
          return;
        }
        boolean more = page.size() > limit;
        List<Product> items = more ? page.subList(0, limit) : page;
        JsonArray array = new JsonArray();
        items.forEach(p -> array.add(p.toJson()));
        JsonObject body = new JsonObject().put("items", array);
        if (more) {
          String next = "/products?limit=" + limit + "&cursor=" + encodeCursor(items.getLast().id());
          body.put("next", next);
          ctx.response().putHeader("Link", "<" + next + ">; rel=\"next\"");
        } else {
          body.putNull("next");
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(body.toBuffer());
      })
      .onFailure(ctx::fail);
  }

  private void patch(RoutingContext ctx) {
    long id = id(ctx);
    String ifMatch = ctx.request().getHeader("If-Match");
    if (ifMatch == null) {
      Problem.of(428, "precondition-required", "Precondition required")
        .detail("Send If-Match with the product's ETag, so a concurrent change is not overwritten").send(ctx);
      return;
    }
    JsonInput body = JsonInput.body(ctx);
    ProductInput.checkPatch(body);
    products.find(id)
      .compose(current -> {
        if (current == null) {
          return Future.failedFuture(notFound(id).asException());
        }
        if (!EntityTags.matches(ifMatch, current.etag(), false)) {
          return Future.failedFuture(stale(current).asException());
        }
        ProductInput merged = ProductInput.forPatch(body, current);
        if (merged.sameAs(current)) { // nothing to change: no new version, every client's ETag still holds
          return Future.succeededFuture(current);
        }
        return products.update(id, current.version(), merged).compose(updated -> updated != null
          ? Future.succeededFuture(updated)
          : Future.failedFuture(preconditionFailed("The product changed while it was being updated; read it again")
            .asException()));
      })
      .compose(updated -> cache.invalidate(String.valueOf(id)).map(updated))
      .onSuccess(updated -> {
        if (Requests.writable(ctx)) {
          send(ctx, 200, updated);
        }
      })
      .onFailure(err -> ctx.fail(problemOf(err)));
  }

  /** The storage's refusals as problems; anything else as it is (the chassis answers it). */
  private static Throwable problemOf(Throwable err) {
    if (err instanceof DuplicateSkuException) {
      return Problem.conflict("A product with this sku already exists")
        .fieldError("sku", "is already used by another product").asException();
    }
    return err;
  }

  private void delete(RoutingContext ctx) {
    long id = id(ctx);
    String ifMatch = ctx.request().getHeader("If-Match");
    Future<Integer> version = ifMatch == null || ifMatch.trim().equals("*") ? Future.succeededFuture(null)
      : products.find(id).compose(current -> {
        if (current == null) {
          return Future.failedFuture(notFound(id).asException());
        }
        return EntityTags.matches(ifMatch, current.etag(), false) ? Future.succeededFuture(current.version())
          : Future.failedFuture(stale(current).asException());
      });
    version.compose(v -> products.delete(id, v).compose(deleted -> deleted || v == null
        ? Future.succeededFuture(deleted) : goneOrChanged(id)))
      .compose(deleted -> cache.invalidate(String.valueOf(id)).map(deleted))
      .onSuccess(deleted -> {
        if (!Requests.writable(ctx)) {
          return;
        }
        if (deleted) {
          ctx.response().setStatusCode(204).end();
        } else {
          notFound(id).send(ctx);
        }
      })
      .onFailure(ctx::fail);
  }

  /**
   * After a delete of the version If-Match named found no row: false (404) when the product is gone, else the 412
   * with its current ETag, for an update committed between the read and the delete.
   */
  private Future<Boolean> goneOrChanged(long id) {
    return products.find(id).compose(current -> current == null ? Future.succeededFuture(false)
      : Future.failedFuture(preconditionFailed("The product changed while it was being deleted (its ETag is now "
        + current.etag() + "); read it again").asException()));
  }

  private static void send(RoutingContext ctx, int status, Product p) {
    ctx.response().setStatusCode(status)
      .putHeader("ETag", p.etag())
      .putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON)
      .end(p.toJson().toBuffer());
  }


  private static long id(RoutingContext ctx) {
    return Requests.positiveId(ctx, "id", "product");
  }

  private static int limit(RoutingContext ctx) {
    String raw = ctx.queryParams().get("limit");
    if (raw == null || raw.isEmpty()) {
      return DEFAULT_PAGE_SIZE;
    }
    int limit = LIMIT.matcher(raw).matches() ? Integer.parseInt(raw) : -1;
    if (limit < 1 || limit > MAX_PAGE_SIZE) {
      throw Problem.validation().detail("limit must be an integer from 1 to " + MAX_PAGE_SIZE)
        .fieldError("limit", "must be an integer from 1 to " + MAX_PAGE_SIZE).asException();
    }
    return limit;
  }

  private static long cursor(RoutingContext ctx) {
    String raw = ctx.queryParams().get("cursor");
    if (raw == null || raw.isEmpty()) {
      return 0;
    }
    Long after = Requests.decodeCursor(raw, CURSOR_PREFIX);
    if (after != null) {
      return after;
    }
    throw Problem.validation().detail("The cursor is not one this API gave out")
      .fieldError("cursor", "is not a valid cursor").asException();
  }

  private static String encodeCursor(long lastId) {
    return Requests.encodeCursor(CURSOR_PREFIX, lastId);
  }

  private static Problem notFound(long id) {
    return Problem.notFound("No product with id " + id);
  }

  private static Problem stale(Product current) {
    return preconditionFailed("If-Match does not match the product's current ETag " + current.etag()
      + "; read it again");
  }

  private static Problem preconditionFailed(String detail) {
    return Problem.of(412, "precondition-failed", "Precondition failed").detail(detail);
  }
}
