#!/usr/bin/env python3
"""Writes the built-in ValueEval taxonomy (value-imprint-taxonomy/.../valueeval.json) from the Touche23-ValueEval
value files (CC BY-SA 4.0): value-categories.json (the 20 categories, their 54 values and example effects) and
values.webis-argvalues-22.json (the higher-order groups). The one-line category definitions paraphrase Schwartz et al.
(2012), Table 1, as the task's documentation quotes them; Universalism: objectivity is the task's own addition.

Usage: python3 make_taxonomy.py SOURCE_DIR OUT_FILE
"""
import json
import re
import sys

DEFINITIONS = {
    "Self-direction: thought": "Freedom to cultivate one's own ideas and abilities.",
    "Self-direction: action": "Freedom to determine one's own actions.",
    "Stimulation": "Excitement, novelty and change.",
    "Hedonism": "Pleasure and sensuous gratification for oneself.",
    "Achievement": "Success according to social standards.",
    "Power: dominance": "Power through exercising control over people.",
    "Power: resources": "Power through control of material and social resources.",
    "Face": "Security and power through maintaining one's public image and avoiding humiliation.",
    "Security: personal": "Safety in one's immediate environment.",
    "Security: societal": "Safety and stability in the wider society.",
    "Tradition": "Maintaining and preserving cultural, family or religious traditions.",
    "Conformity: rules": "Compliance with rules, laws and formal obligations.",
    "Conformity: interpersonal": "Avoidance of upsetting or harming other people.",
    "Humility": "Recognising one's insignificance in the larger scheme of things.",
    "Benevolence: caring": "Devotion to the welfare of in-group members.",
    "Benevolence: dependability": "Being a reliable and trustworthy member of the in-group.",
    "Universalism: concern": "Commitment to equality, justice and protection for all people.",
    "Universalism: nature": "Preservation of the natural environment.",
    "Universalism: tolerance": "Acceptance and understanding of those who are different from oneself.",
    "Universalism: objectivity": "Striving for an objective, rational and evidence-based view of the world.",
}

GROUPS = [
    ("openness-to-change", "Openness to change",
     "Schwartz's higher-order value of independence of thought and action and readiness for change."),
    ("self-enhancement", "Self-enhancement",
     "Schwartz's higher-order value of pursuing one's own success and dominance over others."),
    ("conservation", "Conservation",
     "Schwartz's higher-order value of order, self-restriction, preservation of the past and resistance to change."),
    ("self-transcendence", "Self-transcendence",
     "Schwartz's higher-order value of concern for the welfare and interests of others."),
]

DESCRIPTION = (
    "The 20 value categories of Touche23-ValueEval (SemEval-2023 Task 4, ValueEval: Identification of Human Values "
    "behind Arguments; Kiesel et al., ACL 2022 and SemEval 2023; Mirzakhmedova et al., 2023), after the refined "
    "theory of basic values of Schwartz et al. (2012), with Schwartz's four higher-order values as groups (Hedonism, "
    "Face and Humility sit between two). Multi-label: an argument may resort to several categories, or to none. "
    "Each category's 54 finer values (level 1 of the task) are its cues, and its definition lists them with the "
    "example effects of the task's value-categories.json. Value files licensed CC BY-SA 4.0 (Touche23-ValueEval, "
    "https://doi.org/10.5281/zenodo.6814563); this taxonomy, derived from them, is under the same licence."
)


def value_id(label):
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def main(source, out):
    categories = json.load(open(f"{source}/value-categories.json", encoding="utf-8"))
    webis = json.load(open(f"{source}/values.webis-argvalues-22.json", encoding="utf-8"))["values"]
    groups = {}
    for v in webis:
        groups.setdefault(v["level2"], [])
        for g in v["level3"]:
            gid = value_id(g)
            if gid not in groups[v["level2"]]:
                groups[v["level2"]].append(gid)
    order = [g[0] for g in GROUPS]
    values = []
    for label, finer in categories.items():
        parts = [f"{name} ({', '.join(effects)})" for name, effects in finer.items()]
        definition = (DEFINITIONS[label] + " An argument resorts to it when it is about: " + "; ".join(parts)
                      + ".")
        values.append({
            "id": value_id(label),
            "label": label,
            "definition": definition,
            "groups": sorted(groups[label], key=order.index),
            "cues": list(finer.keys()),
        })
    taxonomy = {
        "id": "valueeval",
        "version": "2023",
        "name": "Touche23-ValueEval value categories",
        "description": DESCRIPTION,
        "multi_label": True,
        "groups": [{"id": i, "label": l, "description": d} for i, l, d in GROUPS],
        "values": values,
    }
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        json.dump(taxonomy, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"{len(values)} categories, {sum(len(v['cues']) for v in values)} values -> {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
