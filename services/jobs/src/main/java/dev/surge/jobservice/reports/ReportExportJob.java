package dev.surge.jobservice.reports;

import dev.surge.http.JsonInput;
import dev.surge.jobs.JobCancelledException;
import dev.surge.jobs.JobContext;
import dev.surge.jobs.JobHandler;
import dev.surge.jobservice.files.DataDirectory;
import dev.surge.jobservice.types.JobType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.SqlConnection;

import java.nio.file.Path;
import java.util.Set;

/**
 * {@code report.export}: writes a named report as a CSV file under {@code reports/} in the data directory, on an
 * event loop. Rows are read a page at a time by id (keyset pages of {@link #FETCH_SIZE}, each its own short
 * statement: no transaction or cursor held for the whole export) and each page is written before the next is
 * read, so a table of any size streams through in bounded memory; the file appears under its final name only once
 * complete, and a failed or cancelled export removes what it wrote.
 *
 * <p>An export holds one connection from the service's pool, and only {@code permits} exports hold one at once
 * (a share of {@code pg.poolSize}, {@code jobs.reports.poolShare}): the others wait for a turn holding nothing, so
 * lease renewals, claims and the API always find a connection. Progress is stored through the export's own
 * connection, never a second one.
 *
 * <p>Args: {@code report} (required), one of {@link Report#names()}. Result: {@code file} (relative to the data
 * directory), {@code rows} and {@code bytes}.
 */
public final class ReportExportJob implements JobType {

  public static final String REPORTS_DIR = "reports";
  static final int FETCH_SIZE = 500;
  static final int PROGRESS_EVERY_ROWS = 1000;
  private static final int WRITE_CHUNK_BYTES = 64 * 1024;

  private final Pool pool;
  private final DataDirectory data;
  private final ExportPermits permits;
  private final String owner;

  /** Exports of the jobs report list the jobs of {@code owner} (this service's name) only. */
  public ReportExportJob(Pool pool, DataDirectory data, int permits, String owner) {
    this.pool = pool;
    this.data = data;
    this.permits = new ExportPermits(permits);
    this.owner = owner;
  }

  /**
   * How many exports may hold a connection at once: {@code sharePercent} of the pool, at least one, and one fewer
   * than the pool so the job queue keeps a connection.
   */
  public static int permits(int poolSize, int sharePercent) {
    return Math.max(1, Math.min(poolSize - 1, poolSize * sharePercent / 100));
  }

  @Override
  public String name() {
    return "report.export";
  }

  @Override
  public ThreadingModel threadingModel() {
    return ThreadingModel.EVENT_LOOP;
  }

  @Override
  public void validate(JsonInput args) {
    args.onlyFields(Set.of("report"), Set.of());
    String report = args.string("report", true, 1, 64, null, null);
    args.error("report", "must be one of " + String.join(", ", Report.names()),
      report != null && Report.named(report).isEmpty());
  }

  @Override
  public JobHandler handler() {
    return this::run;
  }

  private Future<JsonObject> run(JobContext job) {
    String name = job.args().getString("report");
    Report report = Report.named(name).orElseThrow(() -> new IllegalArgumentException("no report named " + name));
    FileSystem fs = job.vertx().fileSystem();
    // The names are built from a known report and the job id, so they need no checking against the data directory.
    Path dir = data.root().resolve(REPORTS_DIR);
    Path target = dir.resolve(report.reportName() + "-" + job.id() + ".csv");
    Path part = dir.resolve(target.getFileName() + ".part");
    String file = data.relativize(target);
    Future<JsonObject> exported = permits.acquire(job)
      .compose(v -> writing(file, fs.mkdirs(dir.toString()))
        .compose(x -> pool.getConnection())
        .compose(conn -> export(job, report, conn, fs, part, file).eventually(conn::close))
        .eventually(() -> {
          permits.release();
          return Future.succeededFuture();
        }))
      .compose(counts -> writing(file, fs.move(part.toString(), target.toString(),
          new CopyOptions().setReplaceExisting(true)))
        .map(v -> new JsonObject().put("file", file).mergeIn(counts)))
      .recover(err -> fs.delete(part.toString()).otherwiseEmpty().compose(v -> Future.failedFuture(err)));
    return job.guard(exported);
  }

  private Future<JsonObject> export(JobContext job, Report report, SqlConnection conn, FileSystem fs, Path part,
                                    String file) {
    return conn.preparedQuery(report.countSql()).execute(report.countParams(owner))
      .recover(err -> Future.failedFuture(new IllegalStateException(
        "cannot read the " + report.reportName() + " report: " + err.getMessage(), err)))
      .map(rows -> rows.iterator().next().getLong(0))
      .compose(total -> writing(file, fs.open(part.toString(), new OpenOptions().setWrite(true).setCreate(true)
          .setTruncateExisting(true)))
        .compose(out -> new CsvWriter(job, report, owner, conn, out, total, file).run()));
  }

  /** {@code future}, or a failure that names the report file (relative) and the file system's reason. */
  private static <T> Future<T> writing(String file, Future<T> future) {
    return future.recover(err -> Future.failedFuture(err instanceof ReportFileException ? err
      : new ReportFileException("cannot write the report file " + file + ": " + reason(err))));
  }

  /** Why a file operation failed, without the data directory's absolute path. */
  static String reason(Throwable err) {
    for (Throwable e = err; e != null; e = e.getCause()) {
      if (e instanceof java.nio.file.FileSystemException fse) {
        if (fse.getReason() != null) {
          return fse.getReason();
        }
        return switch (fse) {
          case java.nio.file.NoSuchFileException x -> "no such file or directory";
          case java.nio.file.AccessDeniedException x -> "permission denied";
          case java.nio.file.FileAlreadyExistsException x -> "a file is in the way of a directory";
          case java.nio.file.NotDirectoryException x -> "not a directory";
          default -> fse.getClass().getSimpleName();
        };
      }
      if (e instanceof java.io.IOException && e.getMessage() != null) {
        return e.getMessage();
      }
    }
    return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }

  /** A report file that could not be written: the job's error says which and why. */
  static final class ReportFileException extends RuntimeException {
    ReportFileException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Reads the report page by page on one connection and writes each page before reading the next. One promise
   * for the whole loop, each page started from the previous one's callback, so the stack never grows with the
   * number of pages.
   */
  private static final class CsvWriter {

    private final JobContext job;
    private final Report report;
    private final String owner;
    private final SqlConnection conn;
    private final AsyncFile out;
    private final long total;
    private final String file;
    private final Promise<Void> pages = Promise.promise();
    private Buffer pending = Buffer.buffer(WRITE_CHUNK_BYTES + 1024);
    private long count;
    private long bytes;
    private long reportedAt;

    CsvWriter(JobContext job, Report report, String owner, SqlConnection conn, AsyncFile out, long total, String file) {
      this.job = job;
      this.report = report;
      this.owner = owner;
      this.conn = conn;
      this.out = out;
      this.total = total;
      this.file = file;
    }

    Future<JsonObject> run() {
      Csv.appendLine(pending, report.columns());
      page(0);
      return pages.future()
        .compose(v -> writing(file, write().compose(x -> out.end())))
        .compose(v -> job.progress(conn, 100, progressMessage()))
        .map(v -> new JsonObject().put("rows", count).put("bytes", bytes))
        .onFailure(err -> out.close());
    }

    private void page(long after) {
      if (job.isCancelled()) {
        pages.tryFail(new JobCancelledException(job.cancellationReason()));
        return;
      }
      conn.preparedQuery(report.pageSql()).execute(report.pageParams(owner, after, FETCH_SIZE)).compose(rows -> {
        long last = after;
        for (Row row : rows) {
          Csv.appendRow(pending, row);
          last = row.getLong(0);
          count++;
        }
        long next = rows.size() < FETCH_SIZE ? -1 : last;
        Future<Void> written = pending.length() >= WRITE_CHUNK_BYTES ? writing(file, write()) : Future.succeededFuture();
        if (count - reportedAt >= PROGRESS_EVERY_ROWS && next >= 0) {
          reportedAt = count;
          // Through this export's own connection; a failure to store progress does not fail the export.
          written = written.compose(v -> job.progress(conn, percent(), progressMessage()).otherwiseEmpty());
        }
        return written.map(next);
      }).onComplete(ar -> {
        if (ar.failed()) {
          pages.tryFail(ar.cause());
        } else if (ar.result() < 0) {
          pages.tryComplete();
        } else {
          page(ar.result());
        }
      });
    }

    private Future<Void> write() {
      if (pending.length() == 0) {
        return Future.succeededFuture();
      }
      Buffer chunk = pending;
      pending = Buffer.buffer(WRITE_CHUNK_BYTES + 1024);
      bytes += chunk.length();
      return out.write(chunk);
    }

    private int percent() {
      return total <= 0 ? 99 : (int) Math.min(99, count * 100 / total);
    }

    private String progressMessage() {
      return count + " of " + Math.max(count, total) + " rows";
    }
  }
}
