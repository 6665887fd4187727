#!/usr/bin/env bash
# Local stand-ins for the base images Surge's Dockerfile and docker-compose.yml name, for a machine that can
# reach Debian's packages and Maven Central but no image registry (this project's CI machine). Each stand-in is
# tagged with exactly the name the Dockerfile or compose file uses, so both are used as a user would use them;
# users with a registry pull the real images and never run this.
#
#   ops/offline-images/build.sh          # builds what is missing; FORCE=1 rebuilds
#
# What each stand-in is (all on a Debian bookworm root made by debootstrap, Debian's packages only):
#   eclipse-temurin:<25>-jre          this machine's Temurin JDK of the tag's version, cut to a runtime with jlink
#                                     (the image records an AOT cache with it: another version would not do)
#   maven:<3.9>-eclipse-temurin-21    this machine's Temurin JDK (21 or later), whole, and the Maven release the
#                                     wrapper names
#   postgres:<17>-alpine              Debian's PostgreSQL 15, with an entry point honouring POSTGRES_USER,
#                                     POSTGRES_PASSWORD, POSTGRES_DB and /docker-entrypoint-initdb.d as the
#                                     official image does
#   redis:<7.4>-alpine                Debian's Redis 7.0
#   prom/prometheus:<v3>              Debian's Prometheus 2.42
#   haproxy:<3.0>                     Debian's HAProxy 2.6, reading /usr/local/etc/haproxy/haproxy.cfg as the
#                                     official image does (ops/edge/haproxy.cfg is kept to what both read)
# Grafana has no Debian package: it has no stand-in, and the local run leaves it out.
# The machine's certificate trust (the system CA bundle and the JDK's cacerts) is copied in: the package
# registries are reached through it here.
set -euo pipefail
cd "$(dirname "$0")/../.."

DOCKER=${DOCKER:-docker}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
BASE=surge-offline/debian:bookworm
work=$(mktemp -d /var/tmp/surge-offline.XXXXXX)
trap 'rm -rf "$work"' EXIT

log() { echo "offline-images: $*"; }
have() { [ -z "${FORCE:-}" ] && "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# The names, read from the files that use them.
jre_image=$(sed -n 's/^FROM \(eclipse-temurin:[^ ]*\).*/\1/p' Dockerfile | head -1)
maven_image=$(sed -n 's/^FROM \(maven:[^ ]*\).*/\1/p' Dockerfile | head -1)
compose_image() { sed -n "s|^ *image: *\($1:[^ ]*\) *$|\1|p" docker-compose.yml | head -1; }
pg_image=$(compose_image postgres)
redis_image=$(compose_image redis)
prom_image=$(compose_image prom/prometheus)
haproxy_image=$(compose_image haproxy)
for name in jre_image maven_image pg_image redis_image prom_image haproxy_image; do
  [ -n "${!name}" ] || { echo "offline-images: no $name named in Dockerfile or docker-compose.yml" >&2; exit 1; }
done

# The JDK to copy in: JAVA_HOME when it is 21 or later, else the newest Temurin under /usr/lib/jvm.
jdk_version() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
jdk=${SURGE_OFFLINE_JDK:-}
if [ -z "$jdk" ] && [ -n "${JAVA_HOME:-}" ] && [ "$(jdk_version "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then jdk=$JAVA_HOME; fi
if [ -z "$jdk" ]; then jdk=$(ls -d /usr/lib/jvm/temurin-2[1-9]* 2>/dev/null | sort -V | tail -1); fi
[ -n "$jdk" ] && [ -x "$jdk/bin/jlink" ] || { echo "offline-images: no JDK 21+ found (set SURGE_OFFLINE_JDK)" >&2; exit 1; }

# The runtime's JDK: the version the JRE's tag names (eclipse-temurin:25.0.3_9-jre: 25).
jre_major=$(echo "$jre_image" | sed -n 's/^eclipse-temurin:\([0-9]*\).*/\1/p')
runtime_jdk=""
for candidate in "${SURGE_OFFLINE_JDK:-}" "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/temurin-"$jre_major"* 2>/dev/null | sort -V); do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ] && [ "$(jdk_version "$candidate")" = "$jre_major" ]; then
    runtime_jdk=$candidate
    break
  fi
done

trust() { # $1: a build context; the machine's CA bundle and Java trust store, as files
  mkdir -p "$1/trust"
  cp -L /etc/ssl/certs/ca-certificates.crt "$1/trust/ca-certificates.crt"
  cp -L "$jdk/lib/security/cacerts" "$1/trust/cacerts"
}

# ---- the Debian base -------------------------------------------------------------------------------------------
if ! have "$BASE"; then
  log "debootstrap bookworm (minbase) from $MIRROR"
  root="$work/rootfs"
  debootstrap --variant=minbase bookworm "$root" "$MIRROR" > "$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  echo "deb $MIRROR bookworm main" > "$root/etc/apt/sources.list"
  mkdir -p "$root/etc/ssl/certs"
  cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
  tar -C "$root" -c . | "$DOCKER" import -c 'CMD ["/bin/bash"]' - "$BASE" >/dev/null
  rm -rf "$root"
fi

build() { # $1: tag, $2: context (holding a Dockerfile)
  log "building $1"
  DOCKER_BUILDKIT=0 "$DOCKER" build -q -t "$1" "$2" >/dev/null
}

# ---- Java: a JRE and a JDK with Maven --------------------------------------------------------------------------
if ! have "$jre_image"; then
  [ -n "$runtime_jdk" ] || { echo "offline-images: $jre_image needs a JDK $jre_major (/usr/lib/jvm/temurin-$jre_major*, or set SURGE_OFFLINE_JDK)" >&2; exit 1; }
  ctx="$work/jre"; mkdir -p "$ctx"; jdk=$runtime_jdk trust "$ctx"
  modules=$("$runtime_jdk/bin/java" --list-modules | sed 's/@.*//' | grep -vxE 'jdk.jlink|jdk.jpackage' | paste -sd, -)
  "$runtime_jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --output "$ctx/java"
  cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $BASE
COPY java /opt/java/openjdk
COPY trust/cacerts /opt/java/openjdk/lib/security/cacerts
COPY trust/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DOCKERFILE
  build "$jre_image" "$ctx"
fi

if ! have "$maven_image"; then
  ctx="$work/maven"; mkdir -p "$ctx"; trust "$ctx"
  cp -a "$jdk" "$ctx/java"
  rm -f "$ctx/java/lib/security/cacerts"
  maven_url=$(sed -n 's/^distributionUrl=//p' .mvn/wrapper/maven-wrapper.properties)
  maven_dist=$(ls -d "$HOME"/.m2/wrapper/dists/"$(basename "$maven_url" -bin.zip)"/*/ 2>/dev/null | head -1 || true)
  if [ -n "$maven_dist" ] && [ -x "$maven_dist/bin/mvn" ]; then
    cp -a "$maven_dist" "$ctx/maven"
  else
    log "fetching $(basename "$maven_url") from Maven Central"
    curl -fsSL "${maven_url%.zip}.tar.gz" | tar -xz -C "$ctx"
    mv "$ctx"/apache-maven-* "$ctx/maven"
  fi
  cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $BASE
COPY java /opt/java/openjdk
COPY trust/cacerts /opt/java/openjdk/lib/security/cacerts
COPY trust/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY maven /usr/share/maven
RUN ln -s /usr/share/maven/bin/mvn /usr/bin/mvn
ENV JAVA_HOME=/opt/java/openjdk MAVEN_HOME=/usr/share/maven MAVEN_CONFIG=/root/.m2 \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DOCKERFILE
  build "$maven_image" "$ctx"
fi

# ---- PostgreSQL, Redis, Prometheus -----------------------------------------------------------------------------
if ! have "$pg_image"; then
  ctx="$work/postgres"; mkdir -p "$ctx"
  cp ops/offline-images/postgres-entrypoint.sh "$ctx/"
  cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $BASE
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /var/lib/postgresql/data /var/run/postgresql /docker-entrypoint-initdb.d \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data
VOLUME /var/lib/postgresql/data
EXPOSE 5432
# As the official image: SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave).
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
DOCKERFILE
  build "$pg_image" "$ctx"
fi

if ! have "$redis_image"; then
  ctx="$work/redis"; mkdir -p "$ctx"
  cat > "$ctx/Dockerfile" <<'DOCKERFILE'
FROM BASE_IMAGE
RUN apt-get update && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /data && chown redis:redis /data
WORKDIR /data
EXPOSE 6379
# As the official image: with no configuration file, protected mode is off so other containers may connect.
ENTRYPOINT ["/bin/sh", "-c", "if [ \"$1\" = redis-server ]; then shift; set -- redis-server --protected-mode no \"$@\"; fi; exec setpriv --reuid=redis --regid=redis --init-groups \"$@\"", "--"]
CMD ["redis-server"]
DOCKERFILE
  sed -i "s|BASE_IMAGE|$BASE|" "$ctx/Dockerfile"
  build "$redis_image" "$ctx"
fi

if ! have "$prom_image"; then
  ctx="$work/prometheus"; mkdir -p "$ctx"
  cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $BASE
RUN apt-get update && apt-get install -y --no-install-recommends prometheus wget \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /prometheus /etc/prometheus /var/lib/prometheus/metrics2 \
 && chown nobody:nogroup /prometheus /var/lib/prometheus/metrics2
# Debian's build keeps its data in /var/lib/prometheus/metrics2 unless told (the official image: data/ here).
USER nobody
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
DOCKERFILE
  build "$prom_image" "$ctx"
fi

if ! have "$haproxy_image"; then
  ctx="$work/haproxy"; mkdir -p "$ctx"
  cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $BASE
RUN apt-get update && apt-get install -y --no-install-recommends haproxy \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /usr/local/etc/haproxy /var/lib/haproxy \
 && chown haproxy:haproxy /var/lib/haproxy
# As the official image: an unprivileged user, the master-worker in the foreground, SIGUSR1 a soft stop.
USER haproxy
WORKDIR /var/lib/haproxy
STOPSIGNAL SIGUSR1
CMD ["haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
DOCKERFILE
  build "$haproxy_image" "$ctx"
fi

log "ready: $BASE $jre_image $maven_image $pg_image $redis_image $prom_image $haproxy_image (no Grafana)"
