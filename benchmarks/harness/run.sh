#!/usr/bin/env bash
# The side-by-side throughput harness: the library's classify, a bare ONNX Runtime session on the same batches, and
# transformers.js on the same model file and texts. See benchmarks/README.md, "Side-by-side harness".
#
#   benchmarks/harness/run.sh [--model default|fp32] [--texts 2000] [--repeats 3]   (--repeats 0: checks only)
#   benchmarks/harness/run.sh --processes [--runs 7] [--texts 2000]   whole processes, interleaved rounds: the
#       command line's evaluate, a bare ONNX Runtime Java process and node, on the first hh-rlhf corpus texts
#   benchmarks/harness/run.sh --processes --library-baseline fuse_attention=false   adds a fourth pipeline: evaluate
#       with those --model-option settings (comma-separated KEY=VALUE), for before/after figures in the same rounds
#
# Needs Java 17, Maven, Node.js 18 or later and npm (the npm registry is reached once, by npm ci, to install the
# pinned transformers.js and onnxruntime-node; the benchmark itself runs offline). Extra Maven flags: MVN_FLAGS="-o".
set -euo pipefail

model=default
texts=2000
repeats=3
processes=0
runs=7
baseline=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --texts) texts="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --processes) processes=1; shift ;;
    --runs) runs="$2"; shift 2 ;;
    --library-baseline) baseline=(--library-baseline "$2"); shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$model" in default|fp32) ;; *) echo "run.sh: --model must be default or fp32" >&2; exit 2 ;; esac
if [[ $processes == 1 && $model != default ]]; then
  echo "run.sh: --processes runs the default model only" >&2; exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

echo "== build (benchmarks module and what it needs)"
classpath_file="target/harness-classpath.txt"
# package the reactor, then write the benchmarks module's class path (the sibling modules resolve to their jars in
# target/, never to ~/.m2); no shaded jar needed
# (--processes also builds the command line's runnable jar, value-imprint-cli/target/value-imprint.jar, as the
# ./value-imprint launcher does)
modules=benchmarks
if [[ $processes == 1 ]]; then modules=benchmarks,value-imprint-cli; fi
mvn -B -q ${MVN_FLAGS:-} -pl "$modules" -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=runtime
classpath="benchmarks/target/classes:$(cat "benchmarks/$classpath_file")"

echo "== npm ci (pinned @huggingface/transformers and onnxruntime-node; no GPU download)"
(cd "$here/js" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error)

echo "== machine"
uptime
echo "nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
java -version 2>&1 | head -1
echo "node $(node --version)"

if [[ $processes == 1 ]]; then
  echo "== whole processes ($texts hh-rlhf texts, $runs timed rounds after one warm-up round)"
  java -Doffline=true -cp "$classpath" org.valueimprint.benchmarks.harness.Processes \
    --texts "$texts" --runs "$runs" ${baseline[@]+"${baseline[@]}"} \
    --corpus "$root/examples/data/annotations/value-imprint-annotations.jsonl" \
    --jar "$root/value-imprint-cli/target/value-imprint.jar" \
    --work "$root/benchmarks/target/harness" --results "$root/benchmarks/results" --js "$here/js"
  uptime
  exit 0
fi

echo "== harness ($model, $texts texts, $repeats repeats)"
java -Doffline=true -cp "$classpath" org.valueimprint.benchmarks.harness.Harness \
  --model "$model" --texts "$texts" --repeats "$repeats" \
  --corpus "$root/examples/data/annotations/value-imprint-annotations.jsonl" \
  --work "$root/benchmarks/target/harness" --results "$root/benchmarks/results" --js "$here/js"
uptime
