#!/usr/bin/env bash
# Builds the benchmarks jar and runs the JMH suite (or part of it) with JSON results under benchmarks/results/.
#
#   benchmarks/run-jmh.sh                          # the whole suite, about 10-15 minutes on 2 idle cores
#   benchmarks/run-jmh.sh ClassifyBenchmark        # one benchmark (any JMH arguments: regex, -p, -prof ...)
#   benchmarks/run-jmh.sh SessionBenchmark -p threads=1,2 -p model=default,fp32
#
# Environment: JMH_DEFAULTS (default "-f 1 -wi 2 -w 5s -i 3 -r 5s") replaces the fork/iteration settings;
# MVN_FLAGS is passed to Maven (for example -o); SKIP_BUILD=1 reuses benchmarks/target/benchmarks.jar.
# Each run writes jmh-<UTC time>.json (JMH's results), .env (machine, load before and after), .log and .md (the
# Markdown tables); regenerate README figures with:
#   java -cp benchmarks/target/benchmarks.jar org.valueimprint.benchmarks.jmh.JmhTable RESULTS.json --readme benchmarks/README.md
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests
fi
jar=benchmarks/target/benchmarks.jar
mkdir -p benchmarks/results
out=benchmarks/results/jmh-$(date -u +%Y%m%dT%H%M%SZ)
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc=$(nproc)"
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
  echo "kernel=$(uname -sr)"
  echo "uptime_before=$(uptime)"
} > "$out.env"
# DJL tokenizers: never download, use the CPU build inside the jar.
export RUST_FLAVOR=cpu
# JMH's forks get these (the host JVM only launches them).
props="-Doffline=true -Dvalueimprint.root=$root"
# shellcheck disable=SC2086
java -jar "$jar" ${JMH_DEFAULTS:--f 1 -wi 2 -w 5s -i 3 -r 5s} -jvmArgsAppend "$props" \
  -rf json -rff "$out.json" "$@" 2>&1 | tee "$out.log"
echo "uptime_after=$(uptime)" >> "$out.env"
java -cp "$jar" org.valueimprint.benchmarks.jmh.JmhTable "$out.json" > "$out.md"
echo "results: $out.json; tables: $out.md"
echo "update the README: java -cp $jar org.valueimprint.benchmarks.jmh.JmhTable $out.json --readme benchmarks/README.md"
