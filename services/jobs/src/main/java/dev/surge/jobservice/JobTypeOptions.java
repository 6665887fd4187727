package dev.surge.jobservice;

import dev.surge.jobservice.http.HttpRequestJobOptions;

import java.nio.file.Path;

/**
 * What the built-in job types are given, as {@code JobsMain} reads it from the {@code jobs.*} keys (their
 * descriptions there).
 *
 * @param dataDir          where report.export writes and the only directory file.compress may touch
 * @param reportsPoolShare percent of the PostgreSQL pool report.export jobs may hold at once
 */
public record JobTypeOptions(Path dataDir, HttpRequestJobOptions http, int reportsPoolShare) {
}
