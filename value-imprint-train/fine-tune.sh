#!/usr/bin/env bash
# Fine-tunes the default model's recipe on the annotated corpus (see docs/model-card.md).
#
#   value-imprint-train/fine-tune.sh [OUT_DIR] [extra FineTune options...]
#
# Builds the reactor up to value-imprint-train (MVN_FLAGS=-o builds offline), then runs
# org.valueimprint.finetune.FineTune with the shipped model's recipe (FineTuneOptions.defaults()). Without options
# it trains on folds 1-4 of the project's 5 stratified folds (seed 42) and scores held-out fold 0 through the shipped
# path. The shipped default model is rebuilt by
#   value-imprint-train/fine-tune.sh OUT_DIR --fold all --cv value-imprint-train/cv
# (every text; --cv DIR puts the recipe's cross-validation, made by cross-validate.sh, into the bundle: the pooled
# evaluation as evaluation.json and cv_* scores, the randomly sampled texts' confusion as the known confusion). It writes
# OUT_DIR/bundle-int8, a model bundle (encoder.patch + head.bin + manifest.json + taxonomy.json) for the int8
# all-MiniLM-L6-v2 from Maven Central, OUT_DIR/run.json, and with a held-out fold OUT_DIR/evaluation-int8.json and
# OUT_DIR/predictions-int8.jsonl. Options after OUT_DIR override: --fold F|all, --top-layers K, --epochs N, --lr R,
# --head-lr R, --class-weight-power P, --also-weight W, --label-smoothing E, --seed S, --bundle int8,fp32,
# --cv DIR, --prior corpus|random, --tensors FILE (write the bundles from trained tensors, without training),
# --corpus FILE, --taxonomy ID|FILE, --encoder all-minilm-l6-v2|e5-small-v2, --group-field FIELD (a multi-label
# taxonomy trains a sigmoid head on folds that keep groups whole: see valueeval-fine-tune.sh).
# After every epoch the run's state is kept in OUT_DIR (resume.json, resume-epoch-E.bin): run the same command again
# and a killed run goes on after its last finished epoch, ending bit-identical to an unstopped run.
# Frozen-layer outputs are cached under value-imprint-train/target/fine-tune-cache (about 1.8 GB) for later runs.
# Needs about 6 GB of heap; PyTorch runs on 2 threads (DJL's PyTorch engine, CPU build from Maven Central).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-value-imprint-train/target/fine-tuned}"
shift || true
source value-imprint-train/classpath.sh
mkdir -p "$out"
start=$(date +%s)
java -Xmx${HEAP:-8g} -Dai.djl.offline=true -Doffline=true -DRUST_FLAVOR=cpu -DPYTORCH_FLAVOR=cpu \
  -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$cp" org.valueimprint.finetune.FineTune \
  --corpus examples/data/annotations/value-imprint-annotations.jsonl \
  --cache value-imprint-train/target/fine-tune-cache \
  --out "$out" --fold 0 --bundle int8 "$@" | tee "$out/fine-tune.log"
echo "fine-tune.sh: $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/fine-tune.log"
