package dev.surge.arbiter;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.List;

import static dev.surge.testing.TestService.await;

/** The admin API as an operator calls it. */
final class Admin implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client;
  private final String token;

  Admin(int port, String token) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    this.token = token;
  }

  Admin(int port) {
    this(port, null);
  }

  HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) {
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, String path) {
    return client.request(method, path);
  }

  HttpResponse<Buffer> get(String path) {
    return send(client.get(path), null);
  }

  HttpResponse<Buffer> put(String path, String body) {
    HttpRequest<Buffer> request = client.put(path).putHeader("Content-Type", "application/json");
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(request.sendBuffer(Buffer.buffer(body)));
  }

  HttpResponse<Buffer> post(String path) {
    return send(client.post(path), null);
  }

  /** Scales and checks the answer: 200. */
  JsonArray scale(String verticle, int instances) {
    HttpResponse<Buffer> response = put("/admin/instances/" + verticle, "{\"instances\": " + instances + "}");
    if (response.statusCode() != 200) {
      throw new AssertionError("scaling answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getJsonArray("instances");
  }

  /** Asks for a rolling restart (answered 202 as it starts) and waits until it is done. */
  void restart() throws InterruptedException {
    HttpResponse<Buffer> started = post("/admin/restart");
    if (started.statusCode() != 202) {
      throw new AssertionError("restart answered " + started.statusCode() + ": " + started.bodyAsString());
    }
    awaitRestarted();
  }

  /** Waits until no rolling restart is under way. */
  void awaitRestarted() throws InterruptedException {
    for (int i = 0; i < 600 && get("/admin/instances").bodyAsJsonObject().getBoolean("restarting"); i++) {
      Thread.sleep(50);
    }
    if (get("/admin/instances").bodyAsJsonObject().getBoolean("restarting")) {
      throw new AssertionError("the restart never ended");
    }
  }

  JsonArray instances() {
    return get("/admin/instances").bodyAsJsonObject().getJsonArray("instances");
  }

  /** The deployment ids of the instances in a state. */
  List<String> deployments(String state) {
    return instances().stream().map(JsonObject.class::cast).filter(i -> state.equals(i.getString("state")))
      .map(i -> i.getString("deploymentId")).toList();
  }

  @Override
  public void close() {
    client.close();
    vertx.close();
  }
}
