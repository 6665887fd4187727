package dev.surge.jobservice.reports;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes report files (and parts left by a crash) older than {@code jobs.reports.retention} from the reports
 * directory: once at start, then every tenth of the retention (at least every second, at most every hour). The
 * directory is read on a worker thread, never an event loop. Only regular files directly in it are touched;
 * links are not followed.
 */
public final class ReportSweeper extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ReportSweeper.class);

  private final Path reports;
  private final Duration retention;
  private boolean sweeping;

  public ReportSweeper(Path reports, Duration retention) {
    this.reports = reports;
    this.retention = retention;
  }

  @Override
  public Future<?> start() {
    long every = Math.max(1000, Math.min(Duration.ofHours(1).toMillis(), retention.toMillis() / 10));
    vertx.setPeriodic(1, every, id -> sweep());
    return Future.succeededFuture();
  }

  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    vertx.executeBlocking(this::deleteOld, false).onComplete(ar -> {
      sweeping = false;
      if (ar.failed()) {
        LOG.warn("Deleting old report files failed: {}", ar.cause().toString());
      } else if (ar.result() > 0) {
        LOG.info("Deleted {} report files older than {}", ar.result(), retention);
      }
    });
  }

  private int deleteOld() throws IOException {
    if (!Files.isDirectory(reports, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    Instant cutoff = Instant.now().minus(retention);
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(reports)) {
      for (Path file : files) {
        try {
          BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (attrs.isRegularFile() && attrs.lastModifiedTime().toInstant().isBefore(cutoff)
            && Files.deleteIfExists(file)) {
            deleted++;
          }
        } catch (java.nio.file.NoSuchFileException gone) {
          // Moved or deleted since the listing: an export finishing, or another sweep.
        }
      }
    }
    return deleted;
  }
}
