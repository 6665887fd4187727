package dev.surge.testing;

import dev.surge.redis.RedisComponent;
import dev.surge.pg.PostgresComponent;
import dev.surge.ServiceDefinition;
import dev.surge.Launcher;
import dev.surge.http.JsonInput;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/** A service with no domain of its own, to test the chassis: it echoes, and it can be slow on purpose. */
public final class EchoService {

  private EchoService() {
  }

  public static ServiceDefinition definition() {
    return ServiceDefinition.builder("echo")
      .use(PostgresComponent.create()).use(RedisComponent.cache())
      .defaultPort(8099)
      .contract("openapi/echo.json")
      .onStart(ctx -> {
        ctx.vertx().eventBus().<String>consumer("echo.ping", message -> message.reply("pong:" + message.body()));
        return io.vertx.core.Future.succeededFuture();
      })
      .http(ctx -> router -> {
        router.get("/slow").handler(rc -> {
          long ms = Long.parseLong(rc.queryParams().get("ms") == null ? "1000" : rc.queryParams().get("ms"));
          rc.vertx().setTimer(ms, id -> {
            if (!rc.response().ended()) {
              rc.response().putHeader("Content-Type", "text/plain").end("slept " + ms);
            }
          });
        });
        router.get("/db/sleep").handler(rc -> PostgresComponent.pool(ctx).query("SELECT pg_sleep(2)").execute()
          .onSuccess(rows -> rc.response().putHeader("Content-Type", "text/plain").end("slept in the database"))
          .onFailure(rc::fail));
        // A connection taken from the pool, as a transaction takes one (the pool words its timeout otherwise).
        router.get("/db/sleep-in-transaction").handler(rc -> PostgresComponent.pool(ctx)
          .withTransaction(connection -> connection.query("SELECT pg_sleep(2)").execute())
          .onSuccess(rows -> rc.response().putHeader("Content-Type", "text/plain").end("slept in a transaction"))
          .onFailure(rc::fail));
        router.get("/echo/:id").handler(rc -> rc.json(new JsonObject().put("id", rc.pathParam("id"))));
        router.post("/echo").handler(rc -> {
          JsonInput input = JsonInput.body(rc).onlyFields(Set.of("name"), Set.of());
          String name = input.string("name", true, 1, 20, null, null);
          input.validate();
          rc.response().setStatusCode(201);
          rc.json(new JsonObject().put("name", name));
        });
        router.get("/fail").handler(rc -> {
          dev.surge.http.HttpServerVerticle.markFailed(rc, new IllegalStateException("marked failed by /fail"));
          rc.response().putHeader("Content-Type", "text/plain").end("failed");
        });
        router.get("/block").handler(rc -> {
          long ms = Long.parseLong(rc.queryParams().get("ms") == null ? "1000" : rc.queryParams().get("ms"));
          try {
            Thread.sleep(ms); // blocking the event loop on purpose: the watchdog's tests
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          rc.response().putHeader("Content-Type", "text/plain").end("blocked " + ms);
        });
        router.get("/boom").handler(rc -> {
          throw new IllegalStateException("secret internal detail SELECT * FROM x");
        });
      })
      .build();
  }

  public static void main(String[] args) {
    Launcher.run(definition(), args);
  }
}
