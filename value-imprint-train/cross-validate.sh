#!/usr/bin/env bash
# 5-fold cross-validation of a fine-tuning recipe, resumable fold by fold (see docs/model-card.md).
#
#   value-imprint-train/cross-validate.sh OUT_DIR [FineTune options...]
#
# For each fold F of the project's 5 stratified folds (seed 42) whose OUT_DIR/fold-F/run.json does not exist yet, runs
# fine-tune.sh OUT_DIR/fold-F --fold F with the options given (finished folds are kept; a killed fold goes on after its
# last finished epoch, from the resume state fine-tune.sh keeps). Then pools the folds' held-out predictions through the shipped path (int8) with
# org.valueimprint.finetune.CrossValidation: OUT_DIR/cv.json (the pooled evaluation of all texts), OUT_DIR/cv-random.json
# (the randomly sampled texts alone: the known confusion that fine-tune.sh --cv OUT_DIR puts into a bundle) and
# OUT_DIR/cv-summary.json (bootstrap intervals, scores on the random texts, calibration in the large).
# About 45 minutes a fold on 2 idle cores with the default recipe (all 6 layers; 1.5 to 2.1 s a step on an AMD EPYC),
# 20 with --top-layers 4.
# For a multi-label taxonomy (--taxonomy valueeval) the folds are grouped (--group-field) and nothing is pooled here:
# fine-tune.sh OUT --fold all --cv OUT_DIR pools the folds' predictions-int8.jsonl (see valueeval-fine-tune.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:?usage: cross-validate.sh OUT_DIR [FineTune options...]}"
shift
mkdir -p "$out"
runs=()
for fold in 0 1 2 3 4; do
  dir="$out/fold-$fold"
  runs+=("$dir")
  if [ -f "$dir/run.json" ]; then
    echo "cross-validate.sh: fold $fold already done ($dir/run.json)"
    continue
  fi
  value-imprint-train/fine-tune.sh "$dir" --fold "$fold" "$@"
done
for ((i = 1; i < $#; i++)); do
  if [ "${!i}" = "--taxonomy" ]; then
    next=$((i + 1))
    if [ "${!next}" != "value-imprint" ]; then
      echo "cross-validate.sh: folds of the multi-label taxonomy ${!next} done; fine-tune.sh --fold all --cv $out pools them"
      exit 0
    fi
  fi
done
source value-imprint-train/classpath.sh
java -cp "$cp" org.valueimprint.finetune.CrossValidation \
  --corpus examples/data/annotations/value-imprint-annotations.jsonl \
  --runs "$(IFS=,; echo "${runs[*]}")" --out "$out/cv.json" \
  --recipe "fine-tune.sh ${*:-(the default recipe, FineTuneOptions.defaults())}" > "$out/cv-summary.log"
echo "cross-validate.sh: wrote $out/cv.json, $out/cv-random.json and $out/cv-summary.json"
