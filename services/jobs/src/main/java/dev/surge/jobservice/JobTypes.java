package dev.surge.jobservice;

import dev.surge.pg.PostgresComponent;
import dev.surge.ServiceContext;
import dev.surge.jobservice.files.DataDirectory;
import dev.surge.jobservice.files.FileCompressJob;
import dev.surge.jobservice.http.HttpRequestJob;
import dev.surge.jobservice.reports.ReportExportJob;
import dev.surge.jobservice.types.JobType;
import dev.surge.jobservice.types.NoopJob;
import dev.surge.jobservice.types.SleepJob;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The jobs service's built-in job types, made once per process. */
public final class JobTypes {

  private JobTypes() {
  }

  public static Map<String, JobType> builtin(ServiceContext context, JobTypeOptions options) {
    DataDirectory data = new DataDirectory(options.dataDir());
    Map<String, JobType> types = new LinkedHashMap<>();
    for (JobType type : List.of(new NoopJob(), new SleepJob(),
      new HttpRequestJob(context.vertx(), options.http()),
      new ReportExportJob(PostgresComponent.pool(context), data, ReportExportJob.permits(
        context.config().get(dev.surge.pg.PgKeys.POOL_SIZE), options.reportsPoolShare()),
        context.config().get(dev.surge.config.ChassisKeys.SERVICE_NAME)),
      new FileCompressJob(data))) {
      types.put(type.name(), type);
    }
    return types;
  }
}
