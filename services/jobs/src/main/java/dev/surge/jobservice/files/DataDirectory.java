package dev.surge.jobservice.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The service's data directory ({@code jobs.dataDir}): where reports are written and the only place file jobs
 * may read or write. A path from a client is resolved inside it or rejected.
 */
public final class DataDirectory {

  private final Path root;

  public DataDirectory(Path root) {
    try {
      Files.createDirectories(root);
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + root, e);
    }
  }

  public Path root() {
    return root;
  }

  /**
   * The path {@code relative} names inside the data directory, or {@link IllegalArgumentException} when it is
   * absolute, empty, or leads outside (through {@code ..} or a symbolic link). It reads the file system: call it
   * where blocking is allowed, such as the worker thread of a file job.
   */
  public Path resolve(String relative) {
    Path resolved = lexically(relative);
    // A symbolic link inside may point outside: judge the real path of what exists.
    Path existing = resolved;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing != null) {
      try {
        if (!existing.toRealPath().startsWith(root)) {
          throw new IllegalArgumentException("must stay inside the data directory");
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot be resolved: " + e.getMessage());
      }
    }
    return resolved;
  }

  /**
   * The same checks on the path's text alone (absolute, empty, {@code ..} leading out), without touching the file
   * system, so an event loop can check a client's input; links are judged by {@link #resolve} when the job runs.
   */
  public Path lexically(String relative) {
    if (relative == null || relative.isBlank() || relative.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("must be a non-empty path relative to the data directory");
    }
    Path given;
    try {
      given = Path.of(relative);
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException("is not a valid path");
    }
    if (given.isAbsolute() || relative.startsWith("/") || relative.startsWith("\\")) {
      throw new IllegalArgumentException("must be relative to the data directory, not absolute");
    }
    Path resolved = root.resolve(given).normalize();
    if (!resolved.startsWith(root) || resolved.equals(root)) {
      throw new IllegalArgumentException("must stay inside the data directory");
    }
    return resolved;
  }

  /** {@code path} as a client sees it: relative to the data directory, with forward slashes. */
  public String relativize(Path path) {
    return root.relativize(path).toString().replace('\\', '/');
  }
}
