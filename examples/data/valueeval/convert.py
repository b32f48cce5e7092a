#!/usr/bin/env python3
"""Converts the Touche23-ValueEval TSV files (SemEval-2023 Task 4, CC BY-SA 4.0) to Value Imprint gold JSONL.

Usage: python3 convert.py SOURCE_DIR [OUT_DIR] [--rendering NAME]

Reads arguments-{training,validation}.tsv and labels-{training,validation}.tsv from SOURCE_DIR and writes
training.jsonl and validation.jsonl to OUT_DIR (default: this script's folder): one object a line, in the TSV's
order, {"id": Argument ID, "text": the rendered argument, "labels": [the value categories marked 1, in the column
order of labels-*.tsv, spelt exactly as in value-categories.json]}, and in training.jsonl also "conclusion" (the
argument's conclusion, which `value-imprint train --group-field conclusion` keeps in one cross-validation fold: the
task's splits share no conclusion). An argument with no category gets "labels": [].

Renderings (the stance "in favour of", used on 18 training rows, is spelt "in favor of" first):
  premise (the default, chosen by 5-fold cross-validation on training with folds that keep each conclusion whole,
      docs/valueeval.md): "{premise}"
  stance-conclusion-premise: "{stance} {conclusion}: {premise}"
  premise-stance-conclusion: "{premise} {stance} {conclusion}"
"""
import csv
import json
import os
import sys

RENDERINGS = {
    "premise": lambda c, s, p: p,
    "stance-conclusion-premise": lambda c, s, p: f"{s} {c}: {p}",
    "premise-stance-conclusion": lambda c, s, p: f"{p} {s} {c}",
}


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def convert(source, out, split, render):
    arguments = rows(os.path.join(source, f"arguments-{split}.tsv"))
    labels = {r["Argument ID"]: r for r in rows(os.path.join(source, f"labels-{split}.tsv"))}
    with open(os.path.join(source, f"labels-{split}.tsv"), encoding="utf-8") as f:
        categories = f.readline().rstrip("\n").split("\t")[1:]
    with open(os.path.join(out, f"{split}.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for a in arguments:
            stance = a["Stance"].strip()
            if stance == "in favour of":
                stance = "in favor of"
            if stance not in ("in favor of", "against"):
                raise SystemExit(f"arguments-{split}.tsv, {a['Argument ID']}: unknown stance {stance!r}")
            text = render(a["Conclusion"].strip(), stance, a["Premise"].strip())
            row = labels[a["Argument ID"]]
            chosen = [c for c in categories if row[c] == "1"]
            record = {"id": a["Argument ID"], "text": text, "labels": chosen}
            if split == "training":
                record["conclusion"] = a["Conclusion"].strip()
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(arguments)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    rendering = "premise"
    if "--rendering" in argv:
        rendering = argv[argv.index("--rendering") + 1]
        args.remove(rendering)
    if not args:
        raise SystemExit(__doc__)
    source = args[0]
    out = args[1] if len(args) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out, exist_ok=True)
    for split in ("training", "validation"):
        n = convert(source, out, split, RENDERINGS[rendering])
        print(f"{split}: {n} arguments -> {os.path.join(out, split + '.jsonl')}")


if __name__ == "__main__":
    main(sys.argv[1:])
