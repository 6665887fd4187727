package dev.surge.gateway.access;

import dev.surge.redis.RedisComponent;
import dev.surge.http.ClientAddresses;
import dev.surge.ServiceContext;
import io.vertx.ext.web.Router;

/**
 * Who may use the APIs, and how often: the client's address ({@link ClientAddresses}), API keys with a limit on
 * unknown ones ({@link ApiKeys}), then the rate limit per client ({@link RateLimits}, when {@code gateway.rateLimit}
 * is set), as {@link AccessOptions} say.
 */
public final class Access {

  private final ClientAddresses clients;
  private final ApiKeys apiKeys;
  private final RateLimits rateLimits;

  public Access(ServiceContext context, AccessOptions options) {
    String namespace = RedisComponent.cache(context).namespace();
    this.clients = new ClientAddresses(options.trustedProxies(), options.forwardedHeader());
    this.apiKeys = new ApiKeys(options.apiKeyDigests(), options.readsNeedKey(), clients,
      new KeyAttempts(RedisComponent.cache(context), options.keyFailures(), options.keyFailureWindow(),
        namespace + ":keyfailures:", context.registry()));
    int rate = options.rateLimit();
    this.rateLimits = rate == 0 ? null : new RateLimits(RedisComponent.cache(context), apiKeys::client, rate,
      Math.max(1, options.rateBurst()), namespace + ":ratelimit:", context.registry());
  }

  /** Who each request comes from. */
  public ClientAddresses clients() {
    return clients;
  }

  /** Installs the checks in front of every route under {@code path}, such as {@code /api/*}. */
  public void routes(Router router, String path) {
    router.route(path).handler(apiKeys);
    if (rateLimits != null) {
      router.route(path).handler(rateLimits);
    }
  }
}
