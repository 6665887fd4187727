package dev.surge.jobs;

import java.util.Locale;

/** Where a job is in its life. Completed, cancelled and discarded are final. */
public enum JobState {
  /** Waiting for a free slot in its queue. */
  AVAILABLE,
  /** Waiting for its run-at time. */
  SCHEDULED,
  /** Held by a node under a lease. */
  RUNNING,
  /** Failed an attempt; runs again after its backoff. */
  RETRYABLE,
  COMPLETED,
  CANCELLED,
  /** Failed its last attempt. */
  DISCARDED;

  private final String wire = name().toLowerCase(Locale.ROOT);

  /** The lower-case name stored in PostgreSQL and shown in JSON. */
  public String wire() {
    return wire;
  }

  public boolean isFinal() {
    return this == COMPLETED || this == CANCELLED || this == DISCARDED;
  }

  public static JobState fromWire(String s) {
    for (JobState state : values()) {
      if (state.wire.equals(s)) {
        return state;
      }
    }
    throw new IllegalArgumentException("unknown job state: " + s);
  }
}
