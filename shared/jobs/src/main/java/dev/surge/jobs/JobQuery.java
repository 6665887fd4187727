package dev.surge.jobs;

/**
 * A filter for {@link JobQueue#list}: newest first, {@code limit} at most, older than {@code beforeId} when it
 * is set (the cursor of the previous page). Null filters match everything.
 */
public record JobQuery(JobState state, String queue, String type, int limit, Long beforeId) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;
}
