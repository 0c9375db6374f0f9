# Sourced by ./ae, ./verify and .ci/run: exports JAVA_HOME pointing at a JDK 25 or newer, or exits with one line
# saying what to install. Order: $JAVA_HOME if it is new enough, then the usual install folders.

ae_java_feature() { # prints the feature release of the JDK at $1, e.g. 25
  local release="$1/release" version
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  if [ -f "$release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  fi
  if [ -z "${version:-}" ]; then
    version=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  fi
  [ -n "$version" ] && echo "$version"
}

ae_find_jdk25() {
  local candidate feature
  if [ -n "${JAVA_HOME:-}" ]; then
    feature=$(ae_java_feature "$JAVA_HOME") && [ "$feature" -ge 25 ] && { echo "$JAVA_HOME"; return 0; }
  fi
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$candidate" ] || continue
    feature=$(ae_java_feature "$candidate") || continue
    [ "$feature" -ge 25 ] && { echo "$candidate"; return 0; }
  done
  return 1
}

if AE_JDK=$(ae_find_jdk25); then
  export JAVA_HOME="$AE_JDK"
  export PATH="$JAVA_HOME/bin:$PATH"
else
  echo "ae: no JDK 25 found (JAVA_HOME is '${JAVA_HOME:-unset}', nothing >= 25 in /usr/lib/jvm); install one, e.g. 'apt-get install temurin-25-jdk' or an Eclipse Temurin 25 tarball, and set JAVA_HOME to it" >&2
  exit 1
fi
