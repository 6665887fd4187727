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
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;

import java.nio.file.Path;
import java.util.Set;

/**
 * {@code report.export}: writes a named report as a CSV file under {@code reports/} in the data directory, on an
 * event loop. Rows are read through a cursor and written with back-pressure, so a table of any size streams
 * through in bounded memory; the file appears under its final name only once complete.
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

  public ReportExportJob(Pool pool, DataDirectory data) {
    this.pool = pool;
    this.data = data;
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
    Future<JsonObject> exported = fs.mkdirs(dir.toString())
      .compose(v -> pool.getConnection())
      // Closing the connection ends the cursor and rolls back the transaction if it is still open.
      .compose(conn -> export(job, report, conn, fs, part).eventually(conn::close))
      .compose(counts -> fs.move(part.toString(), target.toString(), new CopyOptions().setReplaceExisting(true))
        .map(v -> new JsonObject().put("file", data.relativize(target)).mergeIn(counts)))
      .recover(err -> fs.delete(part.toString()).otherwiseEmpty().compose(v -> Future.failedFuture(err)));
    return job.guard(exported);
  }

  private Future<JsonObject> export(JobContext job, Report report, SqlConnection conn, FileSystem fs, Path part) {
    return conn.begin().compose(tx -> conn.query(report.countSql()).execute()
      .recover(err -> Future.failedFuture(new IllegalStateException(
        "cannot read the " + report.reportName() + " report: " + err.getMessage(), err)))
      .map(rows -> rows.iterator().next().getLong(0))
      .compose(total -> conn.prepare(report.selectSql())
        .compose(statement -> fs.open(part.toString(), new OpenOptions().setWrite(true).setCreate(true)
            .setTruncateExisting(true))
          .compose(file -> new CsvWriter(job, report, statement.createStream(FETCH_SIZE), file, total).run())))
      .compose(counts -> tx.commit().map(counts)));
  }

  /** Streams a cursor's rows into a file, pausing the cursor while the file's write queue is full. */
  private static final class CsvWriter {

    private final JobContext job;
    private final Report report;
    private final RowStream<Row> rows;
    private final AsyncFile file;
    private final long total;
    private final Promise<JsonObject> done = Promise.promise();
    private Buffer pending = Buffer.buffer(WRITE_CHUNK_BYTES + 1024);
    private long count;
    private long bytes;
    private Future<Void> reported = Future.succeededFuture();

    CsvWriter(JobContext job, Report report, RowStream<Row> rows, AsyncFile file, long total) {
      this.job = job;
      this.report = report;
      this.rows = rows;
      this.file = file;
      this.total = total;
    }

    Future<JsonObject> run() {
      done.future().onFailure(err -> {
        rows.close();
        file.close();
      });
      file.exceptionHandler(done::tryFail);
      Csv.appendLine(pending, report.columns());
      rows.exceptionHandler(done::tryFail);
      rows.endHandler(v -> finish());
      rows.handler(this::row);
      job.cancelled().onSuccess(v -> done.tryFail(new JobCancelledException(job.cancellationReason())));
      return done.future();
    }

    private void row(Row row) {
      if (done.future().isComplete()) {
        return;
      }
      Csv.appendRow(pending, row);
      count++;
      if (pending.length() >= WRITE_CHUNK_BYTES) {
        write();
        if (file.writeQueueFull()) {
          rows.pause();
          file.drainHandler(v -> rows.resume());
        }
      }
      if (count % PROGRESS_EVERY_ROWS == 0 && reported.isComplete()) {
        // Not awaited: rows keep streaming while it is stored. One at a time, so they are stored in order.
        reported = job.progress(percent(), progressMessage()).otherwiseEmpty();
      }
    }

    private void write() {
      if (pending.length() == 0) {
        return;
      }
      Buffer chunk = pending;
      pending = Buffer.buffer(WRITE_CHUNK_BYTES + 1024);
      bytes += chunk.length();
      file.write(chunk).onFailure(done::tryFail);
    }

    private void finish() {
      if (done.future().isComplete()) {
        return;
      }
      write();
      file.end()
        .compose(v -> reported)
        .compose(v -> job.progress(100, progressMessage()))
        .onSuccess(v -> done.tryComplete(new JsonObject().put("rows", count).put("bytes", bytes)))
        .onFailure(done::tryFail);
    }

    private int percent() {
      return total <= 0 ? 99 : (int) Math.min(99, count * 100 / total);
    }

    private String progressMessage() {
      return count + " of " + Math.max(count, total) + " rows";
    }
  }
}
