#!/usr/bin/env bash
# Parquet against JSON Lines, side by side in one JVM with a 256 MB heap (ParquetReadBenchmark).
# Usage: benchmarks/parquet-read.sh [copies (default 425: 1,000,450 rows)] [rounds (default 3)]
# MVN_FLAGS=-o builds offline. The generated files (about 1.3 GB) go to benchmarks/target/parquet-read.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q ${MVN_FLAGS:-} -pl benchmarks -am compile dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/runtime.cp -Dmdep.includeScope=runtime
exec java -Xmx256m -cp "benchmarks/target/classes:$(cat benchmarks/target/runtime.cp)" \
    org.valueimprint.benchmarks.parquet.ParquetReadBenchmark benchmarks/target/parquet-read "${1:-425}" "${2:-3}"
