package dev.surge.arbiter;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * One instance as {@code GET /admin/instances} shows it.
 *
 * @param verticle       the group it belongs to, {@code <service>.<verticle>} such as {@code catalog.http}; for a
 *                       verticle the arbiter does not supervise, its class name
 * @param state          starting, serving, draining, failed or blocked; {@code unsupervised} for the verticles
 *                       deployed otherwise (job runners, sweepers), which are listed but not counted
 * @param thread         its event loop's name, or {@code worker} / {@code virtual-thread}; null when unknown
 */
public record InstanceView(String verticle, String deploymentId, String threadingModel, String thread,
                           Long requestsServed, Integer inFlight, Instant startedAt, String state) {

  public JsonObject toJson() {
    return new JsonObject().put("verticle", verticle).put("deploymentId", deploymentId)
      .put("threadingModel", threadingModel).put("eventLoop", thread).put("requestsServed", requestsServed)
      .put("inFlight", inFlight).put("startedAt", startedAt == null ? null : startedAt.toString()).put("state", state);
  }
}
