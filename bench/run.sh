#!/usr/bin/env bash
# Builds the JMH benchmarks jar and runs the kernel benchmarks, then prints one table:
# family, variant, shape, ms/op, GFLOP/s.
#
# usage: bench/run.sh [REGEX] [-p name=v1,v2]... [other JMH options]
#   bench/run.sh                      every family, short settings (a few minutes)
#   bench/run.sh Gemm -p shape=sq512  one family, one shape
#   bench/run.sh Conv -p threads=1,2  conv layers with 1 and 2 threads
#
# Settings (environment variables; defaults are short, for a quick look):
#   FORKS=1 WARMUP_ITERATIONS=1 WARMUP_TIME=500ms ITERATIONS=2 ITERATION_TIME=500ms
# Longer, steadier numbers (the annotations' own defaults are 2 x 1 s warm-up, 3 x 1 s):
#   FORKS=2 WARMUP_ITERATIONS=3 WARMUP_TIME=2s ITERATIONS=5 ITERATION_TIME=2s bench/run.sh
# SKIP_BUILD=1 reuses bench/target/benchmarks.jar.
set -euo pipefail
ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/bench/target/benchmarks.jar"

JDK="${JAVA_HOME:-}"
if [ -z "$JDK" ] || [ ! -x "$JDK/bin/java" ] || ! "$JDK/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  JDK="$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -n 1)"
fi
if [ -z "$JDK" ]; then
  echo "bench/run.sh: needs a JDK 25 (set JAVA_HOME)" >&2
  exit 1
fi

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "bench/run.sh: building the benchmarks jar..." >&2
  (cd "$ROOT" && JAVA_HOME="$JDK" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
      ./mvnw -q -B -DskipTests package -pl bench -am) >&2
fi

exec "$JDK/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -jar "$JAR" \
  -f "${FORKS:-1}" -wi "${WARMUP_ITERATIONS:-1}" -w "${WARMUP_TIME:-500ms}" \
  -i "${ITERATIONS:-2}" -r "${ITERATION_TIME:-500ms}" "$@"
