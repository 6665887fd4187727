package dev.surge.jobservice.types;

import dev.surge.ServiceContext;
import dev.surge.jobservice.JobsMain;
import dev.surge.jobservice.files.DataDirectory;
import dev.surge.jobservice.files.FileCompressJob;
import dev.surge.jobservice.http.HttpRequestJob;
import dev.surge.jobservice.http.HttpRequestJobOptions;
import dev.surge.jobservice.reports.ReportExportJob;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The jobs service's built-in job types, made once per process. */
public final class JobTypes {

  private JobTypes() {
  }

  public static Map<String, JobType> builtin(ServiceContext context) {
    DataDirectory data = new DataDirectory(Path.of(context.config().get(JobsMain.DATA_DIR)));
    Map<String, JobType> types = new LinkedHashMap<>();
    for (JobType type : List.of(new NoopJob(), new SleepJob(),
      new HttpRequestJob(context.vertx(), new HttpRequestJobOptions()
        .setMaxResponseSize(context.config().get(JobsMain.HTTP_MAX_RESPONSE_SIZE))
        .setMaxRedirects(context.config().get(JobsMain.HTTP_MAX_REDIRECTS))
        .setAllowedHosts(context.config().get(JobsMain.HTTP_ALLOWED_HOSTS))
        .setAllowPrivateNetworks(context.config().get(JobsMain.HTTP_ALLOW_PRIVATE_NETWORKS))),
      new ReportExportJob(context.pg(), data, ReportExportJob.permits(
        context.config().get(dev.surge.config.ChassisKeys.PG_POOL_SIZE), context.config().get(JobsMain.REPORTS_POOL_SHARE)),
        context.config().get(dev.surge.config.ChassisKeys.SERVICE_NAME)),
      new FileCompressJob(data))) {
      types.put(type.name(), type);
    }
    return types;
  }
}
