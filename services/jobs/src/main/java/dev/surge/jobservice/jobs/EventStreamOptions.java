package dev.surge.jobservice.jobs;

import java.time.Duration;
import java.util.List;

/**
 * The bounds of {@code GET /jobs/{id}/events}, as {@code JobsMain} reads them from the {@code jobs.events.*} keys
 * (their descriptions there).
 *
 * @param trustedProxies proxies (the gateway) whose X-Forwarded-For names the client a stream counts for
 */
public record EventStreamOptions(int maxStreams, int maxStreamsPerClient, List<String> trustedProxies,
                                 Duration maxLife) {

  public EventStreamOptions {
    trustedProxies = List.copyOf(trustedProxies);
  }
}
