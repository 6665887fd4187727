# One image per service, from one Dockerfile. Build context is the repository root:
#
#   docker build --build-arg SERVICE=catalog -t surge/catalog:dev .
#   (--build-arg HTTP_PORT=... only when the service's http.port is not its default)
#
# SERVICE is a module under services/ (gateway, catalog, orders, jobs, bench). The build stage compiles every
# service in one Maven run and does not depend on SERVICE, so building the second and later services reuses its
# cached layers; only the runtime stage differs per service.
# No "# syntax=" line: the classic builder and BuildKit both read this file without fetching a front-end.

# ---- build stage: every service's fat jar ------------------------------------------------------------------
FROM maven:3.9.11-eclipse-temurin-21 AS build
WORKDIR /src

# POMs first, so the dependency layer stays cached until a POM changes. Every module of the parent's reactor must
# have its POM here, or Maven refuses to start.
COPY pom.xml ./
COPY shared/core/pom.xml shared/core/pom.xml
COPY shared/pg/pom.xml shared/pg/pom.xml
COPY shared/redis/pom.xml shared/redis/pom.xml
COPY shared/testing/pom.xml shared/testing/pom.xml
COPY shared/jobs/pom.xml shared/jobs/pom.xml
COPY shared/cluster/pom.xml shared/cluster/pom.xml
COPY shared/dev/pom.xml shared/dev/pom.xml
COPY services/catalog/pom.xml services/catalog/pom.xml
COPY services/catalog/api/pom.xml services/catalog/api/pom.xml
COPY services/bench/pom.xml services/bench/pom.xml
COPY services/orders/pom.xml services/orders/pom.xml
COPY services/jobs/pom.xml services/jobs/pom.xml
COPY services/gateway/pom.xml services/gateway/pom.xml
COPY services/standalone/pom.xml services/standalone/pom.xml
ARG MODULES=services/gateway,services/catalog,services/orders,services/jobs,services/bench
# A repository Maven tries before Maven Central, such as a company's proxy (ops/compose-test.sh serves this
# machine's local repository to the build this way: https://maven.apache.org/settings.html#repositories).
ARG MAVEN_REPOSITORY=
RUN if [ -n "$MAVEN_REPOSITORY" ]; then mkdir -p /root/.m2 && printf '%s' \
      "<settings><profiles><profile><id>first</id>" \
      "<repositories><repository><id>first</id><url>$MAVEN_REPOSITORY</url></repository></repositories>" \
      "<pluginRepositories><pluginRepository><id>first</id><url>$MAVEN_REPOSITORY</url></pluginRepository>" \
      "</pluginRepositories></profile></profiles><activeProfiles><activeProfile>first</activeProfile>" \
      "</activeProfiles></settings>" > /root/.m2/settings.xml; fi
RUN mvn -B -q -pl "$MODULES" -am dependency:go-offline || true

COPY shared/core/src shared/core/src
COPY shared/pg/src shared/pg/src
COPY shared/redis/src shared/redis/src
COPY shared/testing/src shared/testing/src
COPY shared/jobs/src shared/jobs/src
COPY shared/cluster/src shared/cluster/src
COPY shared/dev/src shared/dev/src
COPY services/ services/
RUN mvn -B -q -pl "$MODULES" -am -DskipTests package \
 && mkdir -p /jars \
 && for m in $(echo "$MODULES" | tr ',' ' '); do cp "$m/target/$(basename "$m").jar" /jars/; done

# ---- runtime stage: one service on a JRE ---------------------------------------------------------------------
# JDK 25 for its AOT cache (below); the jars are built for release 21 and run on either.
FROM eclipse-temurin:25.0.3_9-jre

# The temurin JRE image ships neither curl nor wget; curl backs the health check. openssl makes a compose stack's
# cluster keys (docker-compose.yml, cluster-keys).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl openssl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 surge \
 && useradd --system --uid 10001 --gid surge --no-create-home --shell /usr/sbin/nologin surge \
 && mkdir -p /app/data \
 && chown -R surge:surge /app

# Executable in the repository (the classic builder has no COPY --chmod).
COPY ops/docker/healthcheck.sh /usr/local/bin/surge-healthcheck

ARG SERVICE
# The HTTP port the health check asks when SURGE_HTTP_PORT does not set one: the service's default unless given
# (a test keeps this table in step with each service's DEFAULT_PORT).
ARG HTTP_PORT=
RUN case "$SERVICE" in \
      gateway) port=8080 ;; catalog) port=8081 ;; bench) port=8082 ;; jobs) port=8083 ;; orders) port=8084 ;; \
      *) echo "--build-arg SERVICE= must name a service: gateway, catalog, orders, jobs or bench" >&2; exit 1 ;; \
    esac \
 && echo "${HTTP_PORT:-$port}" > /app/http-port
WORKDIR /app
COPY --from=build --chown=surge:surge /jars/${SERVICE}.jar /app/service.jar

USER surge
# The JVM sizes its heap against the container's memory limit (half: the rest is for metaspace, threads, direct
# buffers; measured in docs/operations.md), and its thread pools against its CPU limit. G1 is named: under 2 CPUs
# or 1792 MB the JVM would pick the serial collector. The C library's heap is trimmed each second: it otherwise
# keeps what the start's JIT burst freed (15 to 35 MiB a service, docs/operations.md), as ./surge does.
ENV SURGE_LOG_FORMAT=json \
    SURGE_LOG_ACCESS=json \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:TrimNativeHeapInterval=1000"

# Start-up cache (JDK 25's AOT cache, JEP 483/514/515): a training start records the classes the service loads and
# links, and every start of the image maps them from /app/service.aot. No database answers during a build, so the
# training start ends at its first connection to one (the gateway, which needs none, is stopped after 6 s): what it
# records is the JVM's, Vert.x's, Netty's, the configuration's and the chassis's start, about two thirds of what a
# full start would (measured on the catalog's jar: ready in 2.1 to 2.8 s from it, 1.7 to 2.2 s from a full training
# start, 3.5 to 4.0 s without: docs/BENCHMARKS.md). A cache the JVM cannot use (another JDK) is ignored with a warning.
# The training runs with the image's JVM options and a heap sized as in a container (MaxRAM): on a builder with
# 64 GiB or more the heap would lose compressed pointers, and no container could use the cache. An image built FROM
# this one that replaces /app/service.jar must record the cache again (this RUN) or start with -XX:AOTMode=off: the
# JVM does not always notice a changed jar and may run the classes the cache holds.
# The cache is written at the training JVM's exit by a child JVM; a file of the right size whose header was never
# written ("bad magic number: 0", seen once in a CI run on a slow machine) is no cache. So the build checks that a
# JVM can map it (-XX:AOTMode=on fails otherwise), waits a little for a child still writing, and trains once more,
# longer, before it gives up.
RUN usable() { java -XX:MaxRAM=1g -XX:AOTCache=/app/service.aot -XX:AOTMode=on -cp /app/service.jar -version \
      > /dev/null 2>&1; }; \
    train() { rm -f /app/service.aot; \
      SURGE_PG_URL=postgresql://training@127.0.0.1:9/none SURGE_REDIS_URL=redis://127.0.0.1:9 SURGE_HTTP_PORT=0 \
      SURGE_HTTP_HOST=127.0.0.1 SURGE_LOG_LEVEL=warn \
      timeout -s TERM "$1" java -XX:MaxRAM=1g -XX:AOTCacheOutput=/app/service.aot -jar /app/service.jar \
      > /tmp/training.log 2>&1; \
      for _ in 1 2 3 4 5 6 7 8 9 10; do usable && return 0; sleep 1; done; return 1; }; \
    train 6 || train 15 || { cat /tmp/training.log; echo "no usable AOT cache recorded" >&2; exit 1; }; \
    rm -f /tmp/training.log
# The cluster membership (cluster.port) and the clustered event bus (cluster.eventBusPort); HTTP is on the
# service's port (/app/http-port).
EXPOSE 5701 5801

# Ready: /health/ready answers 200. Live: when /health/live answers DOWN (an event loop stuck past
# watchdog.failAfter), the check asks the service to stop, and the restart policy starts a fresh one.
# Two minutes to start before a failed check counts (a check that passes ends it at once): ten JVMs starting on two
# cores joined their cluster 12 to 33 s after their start, one of them 46 s until it served (2026-12-07), and
# compose's depends_on gives up on a service the moment it is unhealthy.
# The check bounds its own requests (3 s, then 2 s); Docker's timeout is only for a check that cannot even start.
# A check past Docker's timeout is killed, and what it had started (a curl, a cat) is left to PID 1, the JVM, which
# never reaps it: with a 4-s timeout under the checks' 5 s, a starved host left a zombie a check (30 and 44 under
# the two gateways of a compose stack after 10 to 15 minutes, 2026-12-07), each holding a PID for the container's
# life. Reproduced with a check of `sh -c "sleep 3; echo"` and a 1-s timeout (6 zombies in 20 s; none with 10 s).
# An init (tini, --init) would reap them, but swallows SIGTTIN and SIGTTOU, the instance-scaling signals
# (docs/operations.md).
HEALTHCHECK --interval=5s --timeout=15s --start-period=120s --retries=5 CMD ["surge-healthcheck"]

# Exec form: the JVM is PID 1 and receives SIGTERM directly, so the chassis drains gracefully.
STOPSIGNAL SIGTERM
# The AOT cache is named here, not in JAVA_TOOL_OPTIONS, which Kubernetes' manifests set for the heap and collector
# (JAVA_TOOL_OPTIONS=-XX:AOTMode=off starts without it).
ENTRYPOINT ["java", "-XX:AOTCache=/app/service.aot", "-jar", "/app/service.jar"]
