package dev.surge.jobservice.files;

import dev.surge.http.JsonInput;
import dev.surge.jobs.JobContext;
import dev.surge.jobs.JobHandler;
import dev.surge.jobservice.types.JobType;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * {@code file.compress}: gzips a file of the data directory to {@code <path>.gz}, with blocking I/O on a worker
 * thread. The archive is written under {@code <path>.gz.part} and renamed when complete, so a half-written one
 * never appears under its final name.
 *
 * <p>Args: {@code path} (required, relative to the data directory, which it may not leave, not even through a
 * symbolic link), {@code deleteSource} (default false: delete the original once the archive is in place).
 * Result: {@code file}, {@code bytes} (original size) and {@code compressedBytes}.
 */
public final class FileCompressJob implements JobType {

  static final int CHUNK_BYTES = 64 * 1024;
  static final int PROGRESS_STEP_PERCENT = 5;
  public static final int MAX_PATH_LENGTH = 1024;

  private final DataDirectory data;

  public FileCompressJob(DataDirectory data) {
    this.data = data;
  }

  @Override
  public String name() {
    return "file.compress";
  }

  @Override
  public ThreadingModel threadingModel() {
    return ThreadingModel.WORKER;
  }

  @Override
  public void validate(JsonInput args) {
    args.onlyFields(Set.of("path", "deleteSource"), Set.of());
    String path = args.string("path", true, 1, MAX_PATH_LENGTH, null, null);
    if (path != null) {
      try {
        data.lexically(path); // no file system access here: this runs on an event loop
      } catch (IllegalArgumentException e) {
        args.error("path", e.getMessage(), true);
      }
    }
    Object deleteSource = args.json().getValue("deleteSource");
    args.error("deleteSource", "must be a boolean", deleteSource != null && !(deleteSource instanceof Boolean));
  }

  @Override
  public JobHandler handler() {
    return this::run;
  }

  private Future<JsonObject> run(JobContext job) throws IOException {
    String path = job.args().getString("path");
    // Resolved again: the tree may have changed since the job was enqueued.
    Path source = resolve(path);
    Path target = resolve(path + ".gz");
    Path part = resolve(path + ".gz.part");
    if (!Files.isRegularFile(source)) {
      throw new IllegalStateException(path + " is not an existing regular file in the data directory");
    }
    Progress progress = new Progress(job);
    long compressed;
    long original;
    try {
      // A leftover part file is removed, not followed, and CREATE_NEW then refuses anything put in its place.
      Files.deleteIfExists(part);
      original = gzip(job, progress, source, part);
      compressed = Files.size(part);
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    if (job.args().getBoolean("deleteSource", false)) {
      Files.delete(source);
    }
    JsonObject result = new JsonObject()
      .put("file", data.relativize(target))
      .put("bytes", original)
      .put("compressedBytes", compressed);
    return progress.last(100, original + " of " + original + " bytes").map(result);
  }

  private Path resolve(String path) {
    try {
      return data.resolve(path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("path " + path + " " + e.getMessage(), e);
    }
  }

  /** Writes {@code source} gzipped to {@code part}; returns how many bytes it read. */
  private static long gzip(JobContext job, Progress progress, Path source, Path part) throws IOException {
    long size = Files.size(source);
    long read = 0;
    int reported = 0;
    byte[] chunk = new byte[CHUNK_BYTES];
    try (InputStream in = Files.newInputStream(source);
         OutputStream out = new GZIPOutputStream(
           Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), CHUNK_BYTES)) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        job.checkCancelled();
        out.write(chunk, 0, n);
        read += n;
        int percent = size == 0 ? 100 : (int) Math.min(100, read * 100 / size);
        if (percent >= reported + PROGRESS_STEP_PERCENT && progress.report(percent, read + " of " + size + " bytes")) {
          reported = percent;
        }
      }
    }
    job.checkCancelled();
    return read;
  }

  /**
   * Progress reported one update at a time, so they are stored in order and never after the last: compression
   * goes on while one is stored, and an update due meanwhile is skipped.
   */
  private static final class Progress {

    private final JobContext job;
    private Future<Void> inFlight = Future.succeededFuture();

    Progress(JobContext job) {
      this.job = job;
    }

    boolean report(int percent, String message) {
      if (!inFlight.isComplete()) {
        return false;
      }
      inFlight = job.progress(percent, message).otherwiseEmpty();
      return true;
    }

    Future<Void> last(int percent, String message) {
      return inFlight.compose(v -> job.progress(percent, message)).otherwiseEmpty();
    }
  }
}
