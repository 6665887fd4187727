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
  private final ApiKeys operatorKeys;
  private final boolean noOperatorKeys;

  public Access(ServiceContext context, AccessOptions options) {
    String namespace = RedisComponent.cache(context).namespace();
    this.clients = new ClientAddresses(options.trustedProxies(), options.forwardedHeader());
    KeyAttempts attempts = new KeyAttempts(RedisComponent.cache(context), options.keyFailures(),
      options.keyFailureWindow(), namespace + ":keyfailures:", context.registry()); // one count for both kinds
    this.apiKeys = new ApiKeys(options.apiKeyDigests(), options.operatorKeyDigests(), options.readsNeedKey(), clients,
      attempts, "API key", "gateway.apiKeys");
    this.operatorKeys = new ApiKeys(options.operatorKeyDigests(), options.apiKeyDigests(), true, clients, attempts,
      "operator key", "gateway.operatorKeys");
    this.noOperatorKeys = options.operatorKeyDigests().isEmpty();
    int rate = options.rateLimit();
    this.rateLimits = rate == 0 ? null : new RateLimits(RedisComponent.cache(context), apiKeys::client, rate,
      Math.max(1, options.rateBurst()), namespace + ":ratelimit:", context.registry());
  }

  /** Who each request comes from. */
  public ClientAddresses clients() {
    return clients;
  }

  /**
   * Installs the operators' checks in front of every route under {@code path}: an operator key
   * ({@code gateway.operatorKeys}) on reads and changes alike, or, with none configured, the APIs' checks and changes
   * from this machine only, never from another site's page; and the rate limit.
   */
  public void operatorRoutes(Router router, String path) {
    if (noOperatorKeys) { // held at least to what the APIs are: with gateway.readsNeedKey, a read needs an API key
      router.route(path).handler(apiKeys);
    }
    router.route(path).handler(operatorKeys);
    if (rateLimits != null) {
      router.route(path).handler(rateLimits);
    }
  }

  /** Installs the checks in front of every route under {@code path}, such as {@code /api/*}. */
  public void routes(Router router, String path) {
    router.route(path).handler(apiKeys);
    if (rateLimits != null) {
      router.route(path).handler(rateLimits);
    }
  }
}
