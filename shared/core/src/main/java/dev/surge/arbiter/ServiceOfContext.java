package dev.surge.arbiter;

import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;

/**
 * Which service the code running on a Vert.x context belongs to, where one process runs several (the all-in-one):
 * every verticle a service deploys carries the service's name in its deployment's config, under {@link #KEY}, and a
 * context, its duplicates included, answers its deployment's config.
 */
public final class ServiceOfContext {

  public static final String KEY = "surge.service";

  private ServiceOfContext() {
  }

  /** A deployment's config naming {@code service}: {@code config} (left as it is) and the name. */
  public static JsonObject naming(String service, JsonObject config) {
    return (config == null ? new JsonObject() : config.copy()).put(KEY, service);
  }

  /** The service whose verticle runs on {@code context}, or null: no context, or one of no service's verticle. */
  public static String of(Context context) {
    JsonObject config = context == null ? null : context.config();
    return config != null && config.getValue(KEY) instanceof String service ? service : null;
  }
}
