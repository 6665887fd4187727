package dev.surge;

import dev.surge.config.ChassisKeys;
import io.vertx.core.transport.Transport;

/**
 * Which of Vert.x's transports carries a process's network I/O ({@code vertx.transport}). Linux's io_uring hands
 * the kernel a queue of reads and writes per system call where Java's NIO makes one call per socket operation; on
 * two cores shared with PostgreSQL and the load generator it answered more flash-sale requests a second than NIO
 * (docs/BENCHMARKS.md), where epoll, Vert.x's own choice of native transport, answered fewer. Containers run by
 * Docker's default seccomp profile, older kernels and other systems cannot create an io_uring: {@code auto} then
 * takes NIO.
 */
public final class NetworkTransport {

  private NetworkTransport() {
  }

  /**
   * @param setting {@code auto}, {@code io_uring} or {@code nio}
   * @throws IllegalStateException for {@code io_uring} where it cannot run, with the reason
   */
  public static Transport choose(String setting) {
    return switch (setting) {
      case "nio" -> Transport.NIO;
      case "io_uring" -> {
        if (!Transport.IO_URING.available()) {
          throw new IllegalStateException(ChassisKeys.VERTX_TRANSPORT.name() + " is io_uring, which cannot run here: "
            + unavailability());
        }
        yield Transport.IO_URING;
      }
      default -> Transport.IO_URING.available() ? Transport.IO_URING : Transport.NIO;
    };
  }

  /** Why io_uring cannot run here, or null when it can. */
  public static String unavailability() {
    Throwable cause = Transport.IO_URING.unavailabilityCause();
    return cause == null ? null : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
