package dev.surge.gateway.access;

import dev.surge.redis.RedisComponent;
import dev.surge.http.ClientAddresses;
import dev.surge.ServiceContext;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

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
  /** The APIs' checks with an operator key taken as an API key: for what the console reads. */
  private final ApiKeys readers;
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
    List<String> either = new ArrayList<>(options.apiKeyDigests());
    either.addAll(options.operatorKeyDigests());
    this.readers = options.apiKeyDigests().isEmpty() ? apiKeys : new ApiKeys(either, List.of(), options.readsNeedKey(),
      clients, attempts, "API or operator key", "gateway.apiKeys, gateway.operatorKeys");
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

  /**
   * The APIs' checks in front of reads that are the console's as much as the APIs' (its overview, the contracts, the
   * gateway's meters), an operator key taken as an API key: the console sends the one key it is given, and an
   * operator who gave it an operator key alone would find the overview refused under {@code gateway.readsNeedKey}.
   */
  public Handler<RoutingContext> readCheck() {
    return readers;
  }

  /** Installs {@link #readCheck} and the rate limit in front of every route under {@code path}. */
  public void readRoutes(Router router, String path) {
    router.route(path).handler(readers);
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
