# Sourced by ./surge, .ci/run and the bench scripts: exports JAVA_HOME (and puts its bin first on the PATH) for a
# JDK 21 or newer: JAVA_HOME if it is one, else the java on the PATH, else the first found where installers put
# them. Maven finds one the same way (maven-toolchains-plugin, in pom.xml).
# The major version from the JDK's release file (no JVM started: ./surge's start-up pays for this), else from java.
java_major() {
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true)
  [ -n "$v" ] || v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  echo "$v"
}
is_jdk21() { [ -x "$1/bin/javac" ] && [ "$(java_major "$1")" -ge 21 ] 2>/dev/null; }
if [ -z "${JAVA_HOME:-}" ] || ! is_jdk21 "$JAVA_HOME"; then
  JAVA_HOME=""
  on_path=$(command -v java 2>/dev/null || true)
  on_path=${on_path:+$(dirname "$(dirname "$(readlink -f "$on_path")")")}
  # shellcheck disable=SC2012 # plain folder names
  for candidate in ${on_path:+"$on_path"} $(ls -d /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      "$HOME"/.jdks/* 2>/dev/null | sort -rV); do
    if is_jdk21 "$candidate"; then
      JAVA_HOME="$candidate"
      break
    fi
  done
fi
if [ -z "$JAVA_HOME" ]; then
  echo "Surge needs a JDK 21 or newer, and found none (JAVA_HOME, the java on the PATH, /usr/lib/jvm, /opt/java," \
    "~/.sdkman, ~/.jdks): install one (apt-get install openjdk-21-jdk-headless, or https://adoptium.net) or set JAVA_HOME" >&2
  exit 1
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
