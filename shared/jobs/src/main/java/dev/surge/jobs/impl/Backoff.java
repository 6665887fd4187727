package dev.surge.jobs.impl;

import dev.surge.jobs.JobQueueOptions;

import java.util.concurrent.ThreadLocalRandom;

/** The wait after a failed attempt: exponential, with equal jitter so that jobs failing together spread out. */
public final class Backoff {

  private Backoff() {
  }

  /** Half the doubled delay for this attempt (capped at the maximum), plus a random share of the other half. */
  public static long delayMs(JobQueueOptions options, int attempt) {
    long base = options.getBackoffBase().toMillis();
    long max = options.getBackoffMax().toMillis();
    long delay = attempt >= 40 ? max : Math.min(max, base << Math.max(0, attempt - 1));
    long half = delay / 2;
    return half + ThreadLocalRandom.current().nextLong(delay - half + 1);
  }
}
