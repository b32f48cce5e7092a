#!/usr/bin/env bash
# Runs the example Spark job (or, with --benchmark, the Spark-versus-local benchmark) in local mode, from a fresh
# clone, with Spark's jars from Maven Central (spark-submit is not needed):
#   examples/spark-job/run-local.sh [TABLE FORMAT|detect DATASET_NAME OUTPUT_PREFIX]
#   examples/spark-job/run-local.sh --benchmark [PARQUET_FILE [RECORDS]]
# Without arguments it audits the bundled hh-rlhf harmless-base test split (Parquet) into target/spark-audit.{json,html}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
mvn -B -q -pl examples/spark-job -am package -DskipTests
cp="$(cat examples/spark-job/target/classpath.txt):examples/spark-job/target/classes"
main=org.valueimprint.examples.spark.AuditTableJob
if [[ "${1:-}" == "--benchmark" ]]; then
  shift
  main=org.valueimprint.examples.spark.SparkAuditBenchmark
elif [[ $# -eq 0 ]]; then
  set -- examples/data/parquet/hh-rlhf/harmless-base/test-00000-of-00001.parquet hh-rlhf harmless-base/test \
    examples/spark-job/target/spark-audit
fi
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java -Doffline=true -Dspark.master="${SPARK_MASTER:-local[2]}" -Dspark.driver.host=127.0.0.1 \
  -Dspark.ui.enabled=false -cp "$cp" "$main" "$@"
