package dev.surge.testing;

import io.vertx.ext.web.client.WebClient;

import static dev.surge.testing.TestService.await;

/** Waiting on a service run as its own process. */
public final class ServiceProcesses {

  private ServiceProcesses() {
  }

  /** Polls {@code /health/ready} until it answers 200; fails with the process's output if it exits or never does. */
  public static void awaitReady(WebClient client, int port, ServiceProcess process) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      try {
        if (await(client.get(port, "127.0.0.1", "/health/ready").send()).statusCode() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      if (!process.alive()) {
        throw new AssertionError("service exited early:\n" + process.output());
      }
      Thread.sleep(100);
    }
    throw new AssertionError("service never became ready:\n" + process.output());
  }
}
