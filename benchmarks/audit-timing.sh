#!/usr/bin/env bash
# Times whole audits of the hh-rlhf test split with the command line, one configuration after another on this
# machine, and prints wall seconds and texts/s for each. Of its 8,552 records the readers refuse 13 (no final reply
# to compare), skipped with --on-error skip: 8,539 pairs, 17,078 texts.
#   benchmarks/audit-timing.sh [MODEL_DIR]      (default: the default model)
# Configurations (CONFIGS, default "default threads2 batch64"): default = 1 auditor thread with ONNX Runtime's own
# intra-op threads; threads2 = 2 auditor threads with 1 intra-op thread each (two batches in flight on one session);
# batch64 = the default with the old 64-record batches; cli = the command line's own defaults (auditor threads = the
# available processors, 1 intra-op thread each, attention fused); unfused = cli with --model-option
# fuse_attention=false (the graph as exported).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
model=()
if [ $# -gt 0 ]; then model=(--model "$1"); fi
inputs=(examples/data/hh-rlhf/{harmless-base,helpful-base,helpful-online,helpful-rejection-sampled}/test.jsonl.gz)
out="$root/benchmarks/target/audit-timing"
mkdir -p "$out"
./value-imprint formats > /dev/null # build the jar before timing anything
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
run() {
  local name="$1"; shift
  local start end
  start=$(date +%s.%N)
  ./value-imprint audit --quiet --on-error skip "${model[@]}" "$@" --out "$out/$name.json" "${inputs[@]}"
  end=$(date +%s.%N)
  awk -v n="$name" -v s="$start" -v e="$end" 'BEGIN { t = e - s; printf "%-34s %7.1f s  %6.1f texts/s\n", n, t, 17078 / t }'
}
for config in ${CONFIGS:-default threads2 batch64}; do
  case "$config" in
    default) run "threads-1-ort-default" --threads 1 ;;
    threads2) run "threads-2-ort-1" --threads 2 --model-option threads=1 ;;
    batch64) run "threads-1-ort-default-batch-64" --threads 1 --batch-size 64 ;;
    cli) run "cli-defaults" ;;
    unfused) run "cli-defaults-unfused" --model-option fuse_attention=false ;;
    *) echo "audit-timing: unknown configuration $config" >&2; exit 2 ;;
  esac
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
