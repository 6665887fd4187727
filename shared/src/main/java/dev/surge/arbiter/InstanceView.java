package dev.surge.arbiter;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * One instance as {@code GET /admin/instances} shows it.
 *
 * @param verticle       the group it belongs to, {@code <service>.<verticle>} such as {@code catalog.http}
 * @param state          starting, serving or draining
 * @param thread         its event loop's name, or {@code worker} / {@code virtual-thread}
 */
public record InstanceView(String verticle, String deploymentId, String threadingModel, String thread,
                           long requestsServed, int inFlight, Instant startedAt, String state) {

  public JsonObject toJson() {
    return new JsonObject().put("verticle", verticle).put("deploymentId", deploymentId)
      .put("threadingModel", threadingModel).put("eventLoop", thread).put("requestsServed", requestsServed)
      .put("inFlight", inFlight).put("startedAt", startedAt == null ? null : startedAt.toString()).put("state", state);
  }
}
