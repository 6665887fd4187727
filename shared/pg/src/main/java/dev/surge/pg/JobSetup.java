package dev.surge.pg;

import dev.surge.ServiceContext;
import dev.surge.jobs.JobQueue;

/** How a service registers its job handlers, with what its context gives it (pools, executors, config). */
@FunctionalInterface
public interface JobSetup {
  void register(ServiceContext context, JobQueue jobs);
}
