package dev.surge.jobs;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * A queue as its owner's jobs are in it across the cluster ({@code paused} for them, their unfinished jobs by state)
 * and as this node runs it ({@code limit}, null when this node does not run the queue, and {@code runningHere}).
 */
public record QueueInfo(String name, boolean paused, Integer limit, int runningHere, Map<JobState, Long> depth) {

  public JsonObject toJson() {
    JsonObject byState = new JsonObject();
    for (JobState state : JobQueue.DEPTH_STATES) {
      byState.put(state.wire(), depth.getOrDefault(state, 0L));
    }
    return new JsonObject()
      .put("name", name)
      .put("paused", paused)
      .put("limit", limit)
      .put("runningHere", runningHere)
      .put("depth", byState);
  }
}
