package dev.surge.arbiter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.DeploymentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The supervisor of a process's verticle instances, as gunicorn's master is of its workers: it deploys each
 * instance on its own, adds and removes instances at run time, replaces them one at a time (a rolling restart),
 * recycles an instance after its share of requests, and redeploys one that failed, with exponential backoff.
 * An instance always leaves by {@link SupervisedVerticle#handOff handing off} its clients, and a replacement is
 * serving before the instance it replaces starts leaving, so none of this drops a request.
 *
 * <p>Vert.x has deployment and undeployment but nothing that watches them; this is that. Every change runs on the
 * arbiter's own context, one operation after another; the views may be read from any thread.
 */
public final class Arbiter {

  /** The verticle every service has: its HTTP instances. */
  public static final String HTTP = "http";
  /** A service's event-bus consumers, when it has any. */
  public static final String CONSUMERS = "consumers";
  private static final Logger LOG = LoggerFactory.getLogger(Arbiter.class);

  private final Vertx vertx;
  private final ContextInternal context;
  private final MeterRegistry registry;
  private final Map<String, Group> groups = new ConcurrentHashMap<>();
  private final Map<String, io.vertx.core.json.JsonObject> configs = new ConcurrentHashMap<>();
  private final BlockedThreads blockedThreads;
  private Future<Void> queue = Future.succeededFuture(); // the last operation; touched on the context only
  /** The rolling restart asked for last: a request for one while it runs is the same restart. */
  private volatile Future<List<InstanceView>> restarting;

  /**
   * @param failAfter how long a thread may stay blocked before readiness fails (the process should be restarted)
   */
  public Arbiter(Vertx vertx, MeterRegistry registry, Duration failAfter) {
    this.vertx = vertx;
    this.registry = registry;
    this.context = ((VertxInternal) vertx).createEventLoopContext(); // its own, whoever creates the arbiter
    this.blockedThreads = new BlockedThreads(vertx, registry, failAfter, this::blockedEventLoop);
  }

  /** Threads blocked past their limit, for readiness. */
  public BlockedThreads blockedThreads() {
    return blockedThreads;
  }

  /** A service's effective configuration, as {@code GET /admin/config} shows it (secrets masked). */
  public void register(String service, io.vertx.core.json.JsonObject config) {
    configs.put(service, config.copy());
  }

  public Map<String, io.vertx.core.json.JsonObject> configs() {
    return Map.copyOf(configs);
  }

  /**
   * Deploys the instances of a verticle one by one and supervises them from then on, its meters
   * ({@code surge_instances} and the like) in {@code meters}, the service's own registry, so that its
   * {@code /metrics} shows them also when services share a process. Fails, undeploying what started, if any of the
   * first instances fails to start: a service that cannot start should not run.
   */
  public Future<Void> supervise(String service, String verticle, SupervisionOptions options,
                                Function<InstanceHooks, ? extends SupervisedVerticle> factory, MeterRegistry meters) {
    Group group = new Group(service, verticle, options, factory, meters);
    if (groups.putIfAbsent(group.name, group) != null) {
      return Future.failedFuture(new IllegalStateException(group.name + " is already supervised"));
    }
    return enqueue(() -> {
      group.target = options.getInstances();
      Future<Void> started = Future.succeededFuture();
      for (int i = 0; i < options.getInstances(); i++) {
        started = started.compose(v -> deploy(group).mapEmpty());
      }
      return started.recover(err -> undeployAll(group).transform(ar -> {
        groups.remove(group.name);
        return Future.<Void>failedFuture(err);
      }));
    });
  }

  /**
   * Every instance of every verticle: the supervised ones by verticle and start, then the process's other
   * deployments (job runners, sweepers), listed by class, one line per instance.
   */
  public List<InstanceView> instances() {
    List<InstanceView> views = new ArrayList<>();
    // By the instance, not the deployment id: an instance still starting has no id yet, and was listed twice (as
    // starting, and as an unsupervised deployment).
    java.util.Set<Object> supervised = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    groups.values().stream().sorted(Comparator.comparing(g -> g.name)).forEach(g -> g.members.forEach(m -> {
      views.add(m.view());
      if (m.verticle != null) {
        supervised.add(m.verticle);
      }
    }));
    List<InstanceView> others = new ArrayList<>();
    for (DeploymentContext deployment : ((VertxInternal) vertx).deploymentManager().deployments()) {
      if (deployment.deployment().instances().stream().anyMatch(supervised::contains)) {
        continue;
      }
      String identifier = deployment.deployment().identifier();
      String name = identifier.substring(identifier.lastIndexOf('.') + 1);
      String model = threadingModelName(deployment.deployment().options().getThreadingModel());
      for (int i = 0; i < deployment.deployment().instances().size(); i++) {
        others.add(new InstanceView(name, deployment.id(), model, null, null, null, null, "unsupervised"));
      }
    }
    others.sort(Comparator.comparing(InstanceView::verticle).thenComparing(InstanceView::deploymentId));
    views.addAll(others);
    return views;
  }

  /** The names of the supervised verticles, {@code <service>.<verticle>}. */
  public List<String> verticles() {
    return groups.keySet().stream().sorted().toList();
  }

  /**
   * The full name of a verticle given by its full name, or by its short one ({@code http}) when only one service
   * of the process has it; null when there is no such verticle or the short name is ambiguous.
   */
  public String resolve(String name) {
    if (groups.containsKey(name)) {
      return name;
    }
    List<String> matches = groups.values().stream().filter(g -> g.verticle.equals(name)).map(g -> g.name).toList();
    return matches.size() == 1 ? matches.getFirst() : null;
  }

  /** Deploys or hands off instances until the verticle has {@code instances} of them serving. */
  public Future<List<InstanceView>> scale(String verticle, int instances) {
    if (instances < 1) {
      return Future.failedFuture(new IllegalArgumentException("at least one instance"));
    }
    Group group = groups.get(verticle);
    if (group == null) {
      return Future.failedFuture(new IllegalArgumentException("no verticle " + verticle));
    }
    return enqueue(() -> scaleNow(group, instances)).map(v -> group.views());
  }

  /** One more instance (SIGTTIN). */
  public Future<List<InstanceView>> add(String verticle) {
    Group group = groups.get(verticle);
    return group == null ? Future.failedFuture(new IllegalArgumentException("no verticle " + verticle))
      : enqueue(() -> scaleNow(group, group.target + 1)).map(v -> group.views());
  }

  /** One instance fewer, never the last (SIGTTOU). */
  public Future<List<InstanceView>> remove(String verticle) {
    Group group = groups.get(verticle);
    return group == null ? Future.failedFuture(new IllegalArgumentException("no verticle " + verticle))
      : enqueue(() -> scaleNow(group, Math.max(1, group.target - 1))).map(v -> group.views());
  }

  /**
   * Replaces every instance of every verticle, one at a time: the new one serving before the old one hands off
   * (SIGHUP). Asked again while one is under way (a second click, a retry of a request that timed out), it is that
   * restart's outcome: restarts asked for in a burst would otherwise each replace every instance in turn.
   */
  public synchronized Future<List<InstanceView>> restart() { // the admin API's loop and the SIGHUP thread both ask
    if (!restarting()) {
      restarting = newRestart();
      restarting.onFailure(e -> LOG.warn("Rolling restart stopped: {}", e.toString()));
    }
    return restarting;
  }

  /** Whether a rolling restart is under way. */
  public boolean restarting() {
    Future<List<InstanceView>> running = restarting;
    return running != null && !running.isComplete();
  }

  private Future<List<InstanceView>> newRestart() {
    return enqueue(() -> {
      Future<Void> done = Future.succeededFuture();
      for (Group group : groups.values()) {
        for (Member member : List.copyOf(group.members)) {
          done = done.compose(v -> member.state.equals(Member.SERVING)
            ? replace(member, group.restarts, "restart") : Future.succeededFuture());
        }
      }
      return done;
    }).map(v -> instances());
  }

  /**
   * Undeploys a service's instances at once, for its shutdown: each drains as its {@code stop} says. Nothing is
   * redeployed afterwards.
   */
  public Future<Void> stop(String service) {
    List<Group> stopping = groups.values().stream().filter(g -> g.service.equals(service)).toList();
    stopping.forEach(g -> g.stopped = true);
    return Future.join(stopping.stream().map(this::undeployAll).toList()).mapEmpty();
  }

  private Future<Void> undeployAll(Group group) {
    group.stopped = true;
    List<Future<Void>> undeployed = new ArrayList<>();
    for (Member member : group.members) {
      member.state = Member.DRAINING;
      undeployed.add(member.undeploy());
    }
    return Future.join(undeployed).otherwiseEmpty().mapEmpty();
  }

  /** Runs the operations one after another on the arbiter's context, whatever thread asks. */
  private <T> Future<T> enqueue(Supplier<Future<T>> operation) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      Future<T> run = here(queue).transform(ar -> {
        try {
          return here(operation.get());
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      });
      queue = run.transform(ar -> Future.succeededFuture());
      run.onComplete(result);
    });
    return result.future();
  }

  /**
   * The same outcome, delivered on the arbiter's context. An instance completes its futures on its own context,
   * and a deployment made from there would become a child of that instance's (and fail as it goes).
   */
  private <T> Future<T> here(Future<T> future) {
    PromiseInternal<T> promise = context.promise();
    future.onComplete(promise);
    return promise.future();
  }

  private Future<Void> scaleNow(Group group, int instances) {
    group.target = instances;
    List<Member> live = group.live();
    Future<Void> done = Future.succeededFuture();
    for (int i = live.size() + group.pendingRedeploys; i < instances; i++) {
      // One that fails to start is redeployed after the backoff: the scaling itself is done.
      done = done.compose(v -> deploy(group).transform(ar -> Future.<Void>succeededFuture()));
    }
    if (live.size() > instances) {
      // The oldest leave first, as gunicorn's TTOU: they have served most, and leak most if anything leaks.
      List<Future<Void>> leaving = live.stream().limit(live.size() - instances).map(this::handOff).toList();
      done = done.compose(v -> Future.join(leaving).otherwiseEmpty().mapEmpty());
    }
    if (instances != live.size()) {
      LOG.info("{}: {} instances (were {})", group.name, instances, live.size());
    }
    return done;
  }

  /** Deploys one instance; a failure to start schedules another after the backoff, and fails the result. */
  private Future<Member> deploy(Group group) {
    if (group.stopped) {
      return Future.failedFuture(new IllegalStateException(group.name + " is stopping"));
    }
    Member member = new Member(group);
    group.members.add(member);
    return vertx.deployVerticle(() -> member.verticle = group.factory.apply(member),
        new DeploymentOptions().setThreadingModel(group.options.getThreadingModel())
          .setConfig(ServiceOfContext.naming(group.service, null)))
      .map(id -> {
        member.deploymentId = id;
        member.state = Member.SERVING;
        return member;
      })
      .onFailure(err -> {
        group.members.remove(member);
        if (group.stopped) {
          return;
        }
        group.failures.increment();
        LOG.error("{}: an instance failed to start: {}", group.name, err.toString(), err);
        redeployLater(group);
      });
  }

  /** Deploys a replacement, then hands the member off once the replacement serves. */
  private Future<Void> replace(Member member, Counter counter, String why) {
    Group group = member.group;
    return deploy(group).compose(fresh -> {
      counter.increment();
      LOG.info("{}: instance {} replaced by {} ({})", group.name, member.deploymentId, fresh.deploymentId, why);
      return handOff(member);
    });
  }

  private Future<Void> handOff(Member member) {
    member.state = Member.DRAINING;
    return here(member.verticle.handOff(member.group.options.getGrace())).transform(ar -> member.undeploy());
  }

  /** After the backoff, if the verticle still wants it, one more instance; the wait doubles with each failure in a row. */
  private void redeployLater(Group group) {
    if (group.stopped) {
      return;
    }
    long now = System.nanoTime();
    Duration maxBackoff = group.options.getMaxBackoff();
    group.failuresInARow = now - group.lastFailureNanos > 2 * maxBackoff.toNanos() ? 1 : group.failuresInARow + 1;
    group.lastFailureNanos = now;
    long delay = Math.min(maxBackoff.toMillis(),
      group.options.getBackoff().toMillis() << Math.min(30, group.failuresInARow - 1));
    group.pendingRedeploys++;
    LOG.warn("{}: redeploying an instance in {} ms (failure {} in a row)", group.name, delay, group.failuresInARow);
    vertx.setTimer(Math.max(1, delay), id -> enqueue(() -> {
      group.pendingRedeploys--;
      if (group.stopped || group.live().size() >= group.target) {
        return Future.succeededFuture();
      }
      group.redeploys.increment();
      return deploy(group).compose(fresh -> Future.join(group.members.stream()
        .filter(m -> m.state.equals(Member.FAILED)).map(Arbiter.this::handOff).toList()).mapEmpty());
    }));
  }

  /** A handler marked its instance failed: a new one after the backoff; the failed one hands off. */
  private void failed(Member member, Throwable cause) {
    enqueue(() -> {
      if (!member.state.equals(Member.SERVING) || member.group.stopped) {
        return Future.<Void>succeededFuture();
      }
      Group group = member.group;
      group.failures.increment();
      LOG.error("{}: instance {} failed: {}", group.name, member.deploymentId, cause.toString(), cause);
      member.state = Member.FAILED;
      // Left serving while it is the only one: a failed instance still answers better than a closed port.
      if (!group.live().isEmpty()) {
        handOff(member);
      }
      redeployLater(group);
      return Future.<Void>succeededFuture();
    });
  }

  private void recycle(Member member) {
    enqueue(() -> member.state.equals(Member.SERVING) && !member.group.stopped
      ? replace(member, member.group.recycles, "served " + member.verticle.served() + " requests")
      : Future.succeededFuture());
  }

  /**
   * An event loop blocked past its limit: its instances get replacements on other loops, as Vert.x chooses, and
   * hand off; a thread cannot be stopped, so the hand-off takes effect when the loop returns.
   */
  private void blockedEventLoop(String threadName) {
    for (Group group : groups.values()) {
      for (Member member : group.members) {
        if (member.state.equals(Member.SERVING) && threadName.equals(member.verticle.thread())) {
          member.state = Member.BLOCKED;
          enqueue(() -> replace(member, group.replacedBlocked, "its event loop is blocked"));
        }
      }
    }
  }

  /** One verticle of one service: its instances and what they have been through. */
  private final class Group {
    final String service;
    final String verticle;
    final String name;
    final SupervisionOptions options;
    final Function<InstanceHooks, ? extends SupervisedVerticle> factory;
    final List<Member> members = new CopyOnWriteArrayList<>();
    final Counter restarts;
    final Counter recycles;
    final Counter redeploys;
    final Counter failures;
    final Counter replacedBlocked;
    volatile int target;
    volatile boolean stopped;
    int pendingRedeploys;
    int failuresInARow;
    long lastFailureNanos = System.nanoTime() - Duration.ofDays(1).toNanos();

    private final MeterRegistry meters;

    Group(String service, String verticle, SupervisionOptions options,
          Function<InstanceHooks, ? extends SupervisedVerticle> factory, MeterRegistry meters) {
      this.meters = meters;
      this.service = service;
      this.verticle = verticle;
      this.name = service + "." + verticle;
      this.options = options;
      this.factory = factory;
      this.restarts = counter("surge_instance_restarts", "Instances replaced by a rolling restart");
      this.recycles = counter("surge_instance_recycles", "Instances replaced after serving their maximum of requests");
      this.redeploys = counter("surge_supervisor_redeploys", "Instances redeployed after a failure, with backoff");
      this.failures = counter("surge_instance_failures", "Instances that failed to start or were marked failed");
      this.replacedBlocked = counter("surge_instance_blocked_replacements",
        "Instances replaced because their event loop was blocked");
      for (String state : List.of(Member.STARTING, Member.SERVING, Member.DRAINING, Member.FAILED, Member.BLOCKED)) {
        Gauge.builder("surge_instances", members, list -> list.stream().filter(m -> m.state.equals(state)).count())
          .description("Verticle instances by state").tags("service", service, "verticle", verticle, "state", state)
          .register(meters);
      }
    }

    private Counter counter(String name, String description) {
      return Counter.builder(name).description(description).tags("service", service, "verticle", verticle)
        .register(meters);
    }

    /** Instances that count toward the target: starting or serving. */
    List<Member> live() {
      return members.stream().filter(m -> m.state.equals(Member.STARTING) || m.state.equals(Member.SERVING)).toList();
    }

    List<InstanceView> views() {
      return members.stream().map(Member::view).toList();
    }
  }

  /** One deployment of one instance, and the hooks it calls. */
  private final class Member implements InstanceHooks {
    static final String STARTING = "starting";
    static final String SERVING = "serving";
    static final String DRAINING = "draining";
    static final String FAILED = "failed";
    static final String BLOCKED = "blocked";

    final Group group;
    final long recycleAfter;
    volatile SupervisedVerticle verticle;
    volatile String deploymentId;
    volatile String state = STARTING;
    private Future<Void> undeployed;

    Member(Group group) {
      this.group = group;
      long max = group.options.getMaxRequests();
      long jitter = group.options.getMaxRequestsJitter();
      this.recycleAfter = max <= 0 ? 0 : max + (jitter <= 0 ? 0 : ThreadLocalRandom.current().nextLong(jitter + 1));
    }

    @Override
    public long recycleAfter() {
      return recycleAfter;
    }

    @Override
    public void recycleDue() {
      recycle(this);
    }

    @Override
    public void failed(Throwable cause) {
      Arbiter.this.failed(this, cause);
    }

    synchronized Future<Void> undeploy() {
      if (undeployed == null) {
        undeployed = deploymentId == null ? Future.succeededFuture()
          : vertx.undeploy(deploymentId).otherwise(err -> {
            if (!group.stopped) { // stopping, Vert.x may have closed first
              LOG.warn("{}: undeploying {} failed: {}", group.name, deploymentId, err.toString());
            }
            return null;
          });
        undeployed = undeployed.onComplete(ar -> group.members.remove(this));
      }
      return undeployed;
    }

    InstanceView view() {
      SupervisedVerticle v = verticle;
      return new InstanceView(group.name, deploymentId, threadingModelName(group.options.getThreadingModel()),
        v == null ? null : v.thread(), v == null ? 0L : v.served(), v == null ? 0 : v.inFlight(),
        v == null ? null : v.startedAt(), state);
    }
  }

  private static String threadingModelName(io.vertx.core.ThreadingModel model) {
    return switch (model) {
      case EVENT_LOOP -> "event-loop";
      case WORKER -> "worker";
      case VIRTUAL_THREAD -> "virtual-thread";
      default -> model.name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
