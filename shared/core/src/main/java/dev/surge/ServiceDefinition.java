package dev.surge;

import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;
import dev.surge.http.ApiContract;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What makes one service: its name, its own configuration keys and defaults, the components it is built with
 * (PostgreSQL and its migrations, the job queue, Redis), and its HTTP routes. Everything cross-cutting comes from
 * the chassis.
 *
 * <pre>{@code
 * ServiceDefinition.builder("catalog")
 *   .defaultPort(8081)
 *   .use(PostgresComponent.migrations("db/catalog"))
 *   .use(RedisComponent.cache())
 *   .http(ctx -> new ProductRoutes(ctx))
 *   .build();
 * }</pre>
 */
public final class ServiceDefinition {

  private final String name;
  private final List<ConfigKey<?>> keys;
  private final Function<ServiceContext, HttpApi> http;
  private final Function<ServiceContext, Future<Void>> onStart;
  private final ConfigKey<String> threadingModelKey;
  private final List<java.util.regex.Pattern> streamingPaths;
  private final Function<ServiceContext, EventBusApi> eventBus;
  private final List<Component> components;
  private final ApiContract contract;

  private ServiceDefinition(Builder b) {
    this.name = b.name;
    this.contract = b.contract == null ? null : ApiContract.fromResource(b.contract);
    this.components = List.copyOf(b.components);
    this.streamingPaths = List.copyOf(b.streamingPaths);
    this.eventBus = b.eventBus;
    this.threadingModelKey = b.threadingModelKey;
    this.http = Objects.requireNonNull(b.http, "http routes");
    this.onStart = b.onStart;
    Map<String, ConfigKey<?>> all = new LinkedHashMap<>();
    ChassisKeys.all().forEach(k -> all.put(k.name(), k));
    all.put(ChassisKeys.SERVICE_NAME.name(), ChassisKeys.SERVICE_NAME.withDefault(b.name));
    b.components.forEach(c -> c.configKeys().forEach(k -> all.put(k.name(), k)));
    b.overrides.forEach(k -> all.put(k.name(), k));
    b.own.forEach(k -> {
      if (all.putIfAbsent(k.name(), k) != null) {
        throw new IllegalArgumentException("configuration key defined twice: " + k.name());
      }
    });
    this.keys = List.copyOf(all.values());
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /** The chassis keys, with this service's defaults, then the service's own keys. */
  public List<ConfigKey<?>> configKeys() {
    return keys;
  }

  /** The components the service is built with, in the order they start. */
  public List<Component> components() {
    return components;
  }

  /** Whether a component of the service needs this server (its URL must be set, or the launcher embeds it). */
  public boolean uses(DevServer server) {
    return components.stream().anyMatch(c -> c.devServer() == server);
  }

  /** The service's OpenAPI contract ({@link Builder#contract}), or null for a service without one. */
  public ApiContract contract() {
    return contract;
  }

  public Function<ServiceContext, HttpApi> http() {
    return http;
  }

  public Function<ServiceContext, Future<Void>> onStart() {
    return onStart;
  }

  /** The service's event-bus consumers, or null when it has none. */
  public Function<ServiceContext, EventBusApi> eventBus() {
    return eventBus;
  }

  /** Paths whose responses are long-lived streams, exempt from {@code http.requestTimeout}. */
  public List<java.util.regex.Pattern> streamingPaths() {
    return streamingPaths;
  }

  /** The key whose value (event-loop, worker or virtual-thread) picks the HTTP verticles' threading model. */
  public ConfigKey<String> threadingModelKey() {
    return threadingModelKey;
  }

  public static final class Builder {
    private final String name;
    private final List<ConfigKey<?>> overrides = new ArrayList<>();
    private final List<ConfigKey<?>> own = new ArrayList<>();
    private Function<ServiceContext, HttpApi> http;
    private Function<ServiceContext, Future<Void>> onStart = ctx -> Future.succeededFuture();
    private ConfigKey<String> threadingModelKey = ChassisKeys.HTTP_THREADING_MODEL;
    private final List<java.util.regex.Pattern> streamingPaths = new ArrayList<>();
    private Function<ServiceContext, EventBusApi> eventBus;
    private final List<Component> components = new ArrayList<>();
    private String contract;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name);
    }

    public Builder defaultPort(int port) {
      return withDefault(ChassisKeys.HTTP_PORT, port);
    }

    /** Another default for a chassis key, such as the access log off for a benchmark service. */
    public <T> Builder withDefault(ConfigKey<T> key, T value) {
      overrides.add(key.withDefault(value));
      return this;
    }

    /** Keys of the service's own, such as {@code catalog.maxPageSize}. */
    public Builder configKeys(List<ConfigKey<?>> keys) {
      own.addAll(keys);
      return this;
    }

    /**
     * A component the service is built with, such as {@code PostgresComponent.migrations("db/orders")}: its keys
     * join the service's, and it starts before {@code onStart}, after the components named before it.
     */
    public Builder use(Component component) {
      components.add(Objects.requireNonNull(component));
      return this;
    }

    public Builder http(Function<ServiceContext, HttpApi> http) {
      this.http = http;
      return this;
    }

    /**
     * The service's OpenAPI 3.1 document, a classpath resource such as {@code openapi/catalog.json}: served at
     * {@code /openapi.json} with the chassis's parts merged in, and checked against the routes {@link #http}
     * registers when the service starts (any difference and it does not start). Read when {@link #build} runs.
     */
    public Builder contract(String resource) {
      this.contract = Objects.requireNonNull(resource);
      return this;
    }

    /** Runs once per process after the pools are up and before the HTTP instances deploy. */
    public Builder onStart(Function<ServiceContext, Future<Void>> onStart) {
      this.onStart = onStart;
      return this;
    }

    /**
     * A key of the service's own that picks the HTTP threading model in place of {@code http.threadingModel},
     * for a service whose model is part of what it is about (the bench service's {@code bench.model}). Its
     * values must be event-loop, worker or virtual-thread.
     */
    public Builder threadingModelFrom(ConfigKey<String> key) {
      this.threadingModelKey = key;
      return this;
    }

    /**
     * The service's event-bus handlers: registered by {@code http.instances} consumer instances after
     * {@code onStart}, before the HTTP instances, supervised by the arbiter as {@code <service>.consumers}, and
     * withdrawn first on shutdown.
     */
    public Builder eventBus(Function<ServiceContext, EventBusApi> eventBus) {
      this.eventBus = eventBus;
      return this;
    }

    /**
     * Paths (regular expressions matched against the whole path) that stream, such as Server-Sent Events or a
     * proxy: {@code http.requestTimeout} does not cut them off, and the request body is not read into memory (nor
     * held to {@code http.maxBodySize}): the route reads or pipes it itself. They still count as in flight.
     */
    public Builder streaming(String... pathPatterns) {
      for (String p : pathPatterns) {
        streamingPaths.add(java.util.regex.Pattern.compile(p));
      }
      return this;
    }

    public ServiceDefinition build() {
      return new ServiceDefinition(this);
    }
  }
}
