#!/usr/bin/env bash
# Rebuilds the bundled Touché23-ValueEval model (docs/valueeval.md) on 2 CPU cores, resumably.
#
#   value-imprint-train/valueeval-fine-tune.sh OUT_DIR [FineTune options overriding the recipe...]
#
# 1. cross-validate.sh OUT_DIR/cv: the recipe below on each of the 5 folds of the training split that keep every
#    conclusion whole (seed 42), each fold's held-out arguments classified through the shipped path (int8 e5-small-v2
#    + weight patch) into OUT_DIR/cv/fold-F/predictions-int8.jsonl; finished folds are kept when rerun.
# 2. fine-tune.sh OUT_DIR/final --fold all --cv OUT_DIR/cv: the recipe on every training argument, per-value Platt
#    calibration and F1-maximising thresholds chosen on the pooled out-of-fold predictions.
# OUT_DIR/final/bundle-int8 is the model: copy its files to
# value-imprint-onnx/src/main/resources/org/valueimprint/onnx/valueeval-model/. The validation split is never read.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:?usage: valueeval-fine-tune.sh OUT_DIR [FineTune options...]}"
shift
recipe=(--corpus examples/data/valueeval/training.jsonl --taxonomy valueeval --encoder e5-small-v2
  --group-field conclusion --top-layers 4 --epochs 6 --patience 2 "$@")
value-imprint-train/cross-validate.sh "$out/cv" "${recipe[@]}"
if [ -f "$out/final/run.json" ]; then
  echo "valueeval-fine-tune.sh: $out/final already done"
else
  value-imprint-train/fine-tune.sh "$out/final" --fold all --cv "$out/cv" "${recipe[@]}"
fi
echo "valueeval-fine-tune.sh: the model is $out/final/bundle-int8"
