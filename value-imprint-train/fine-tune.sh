#!/usr/bin/env bash
# Reproduces the fine-tuned model bundle from the annotated corpus (see docs/model-card.md).
#
#   value-imprint-train/fine-tune.sh [OUT_DIR] [extra FineTune options...]
#
# Builds the reactor up to value-imprint-train (MVN_FLAGS=-o builds offline), then runs
# org.valueimprint.finetune.FineTune as the shipped fine-tuned model was made: trained on folds 1-4 of the project's
# 5 stratified folds (seed 42), fold 0 held out and scored through the shipped path. It writes OUT_DIR/bundle-int8, a
# model bundle (encoder.patch + head.bin + manifest.json + taxonomy.json) for the int8 all-MiniLM-L6-v2 from Maven
# Central, OUT_DIR/run.json and OUT_DIR/evaluation-int8.json. Options after OUT_DIR override: --fold all trains on
# every text (no held-out score), --top-layers K, --epochs N, --lr R, --head-lr R, --class-weight-power P, --seed S,
# --bundle int8,fp32.
# Frozen-layer outputs are cached under value-imprint-train/target/fine-tune-cache (about 1.8 GB) for later runs.
# Needs about 6 GB of heap; PyTorch runs on 2 threads (DJL's PyTorch engine, CPU build from Maven Central).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-value-imprint-train/target/fine-tuned}"
shift || true
cpfile="$(mktemp)"
# One invocation, so that the reactor's own modules resolve from the reactor (nothing needs `mvn install`).
mvn -B -q ${MVN_FLAGS:-} package dependency:build-classpath -pl value-imprint-train -am -DskipTests \
  -Dmdep.outputFile="$cpfile" >/dev/null
deps="$(tr ':' '\n' < "$cpfile" | grep -v '/org/valueimprint/' | paste -sd: -)"
rm -f "$cpfile"
cp="value-imprint-train/target/classes:value-imprint-onnx/target/classes:value-imprint-core/target/classes"
cp="$cp:value-imprint-taxonomy/target/classes:$deps"
mkdir -p "$out"
start=$(date +%s)
java -Xmx${HEAP:-8g} -Dai.djl.offline=true -Doffline=true -DRUST_FLAVOR=cpu -DPYTORCH_FLAVOR=cpu \
  -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$cp" org.valueimprint.finetune.FineTune \
  --corpus examples/data/annotations/value-imprint-annotations.jsonl \
  --cache value-imprint-train/target/fine-tune-cache \
  --out "$out" --fold 0 --bundle int8 "$@" | tee "$out/fine-tune.log"
echo "fine-tune.sh: $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/fine-tune.log"
