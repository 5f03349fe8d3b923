"""Measure the privacy guard: recall and false alarms on the corpus, the sample board and the district.

- corpus: tests/privacy_cases.yaml. Recall is the share of positive cases whose rule is
  reported (as an error or a warning); exact is the share given exactly the expected outcome;
  a false alarm is a clean case with anything reported.
- sample board (content/) and synthetic district (benchmarks/synthetic.py, 200 communities,
  20,000 suggestions): texts with no personal information by construction, so every text with
  a finding is a false alarm. The rate is per text the guard reads.

Targets: recall at least 98 %, false alarms at most 1 % everywhere. Exit status 0 when every
target is met, 1 otherwise.

Usage::

    python benchmarks/bench_privacy.py [--communities 200 --suggestions 20000] [--no-district]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

from ailin import pipeline
from ailin.privacy import SUBMITTER_DISPLAY, record_texts, scan_field

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402  (a sibling module, not an installed package)

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "privacy_cases.yaml"
RECALL_TARGET = 0.98
FALSE_ALARM_TARGET = 0.01


def _outcome(case: dict) -> tuple[str, list[str]]:
    display = "display" in case
    findings = scan_field(case["display"] if display else case["text"], is_display=display)
    severity = "error" if any(f.certain for f in findings) else "warning" if findings else "clean"
    return severity, [f.code for f in findings]


def corpus_figures() -> tuple[float, float, bool]:
    cases = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    positives = [c for c in cases if c["expect"] != "clean"]
    clean = [c for c in cases if c["expect"] == "clean"]
    caught: Counter[str] = Counter()
    total: Counter[str] = Counter()
    exact = 0
    for case in positives:
        severity, codes = _outcome(case)
        total[case["rule"]] += 1
        caught[case["rule"]] += case["rule"] in codes
        exact += (severity, codes) == (case["expect"], [case["rule"]])
    alarms = [c for c in clean if _outcome(c)[1]]
    exact += len(clean) - len(alarms)
    recall = sum(caught.values()) / len(positives)
    false_alarms = len(alarms) / len(clean)
    print(f"corpus: {len(positives)} positives, {len(clean)} look-alikes ({CORPUS.relative_to(REPO)})")
    for rule in sorted(total):
        print(f"  {rule:28} {caught[rule]:4}/{total[rule]:<4} caught")
    print(f"  recall        {recall:7.1%}  (target >= {RECALL_TARGET:.0%})")
    print(f"  false alarms  {false_alarms:7.1%}  ({len(alarms)} of {len(clean)}; target <= {FALSE_ALARM_TARGET:.0%})")
    print(f"  exact outcome {exact / len(cases):7.1%}  (error, warning or clean as expected, with its rule)")
    for case in alarms:
        print(f"    false alarm: {case['text']}  {_outcome(case)}")
    return recall, false_alarms, recall >= RECALL_TARGET and false_alarms <= FALSE_ALARM_TARGET


def board_figures(name: str, content: Path) -> bool:
    """Every text of a board without personal information: how many the guard reports."""
    started = time.perf_counter()
    result = pipeline.check(content)
    texts = alarms = 0
    codes: Counter[str] = Counter()
    for record in [result.board.settings, *result.board.records] if result.board.settings else result.board.records:
        for path, text in record_texts(record):
            texts += 1
            found = scan_field(text, is_display=path == SUBMITTER_DISPLAY)
            alarms += bool(found)
            codes.update(f.code for f in found)
    reported = sum(p.code.startswith("privacy-") and p.code not in ("privacy-exception", "privacy-exception-unused")
                   for p in result.problems)
    rate = alarms / texts if texts else 0.0
    print(f"{name}: {texts} texts, {alarms} with a finding ({rate:.2%}; target <= {FALSE_ALARM_TARGET:.0%}), "
          f"{reported} reported by `ailin check`, {time.perf_counter() - started:.1f} s")
    for code, count in codes.most_common():
        print(f"  {code}: {count}")
    return rate <= FALSE_ALARM_TARGET


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--suggestions", type=int, default=20000)
    parser.add_argument("--no-district", action="store_true", help="skip the synthetic district")
    args = parser.parse_args(argv)
    ok = corpus_figures()[2]
    ok &= board_figures("sample board (content/)", REPO / "content")
    if not args.no_district:
        with tempfile.TemporaryDirectory(prefix="ailin-bench-privacy-") as folder:
            content = Path(folder) / "content"
            synthetic.generate(content, communities=args.communities, suggestions=args.suggestions,
                               meetings=args.suggestions // 10, projects=args.suggestions // 20, seed=1)
            ok &= board_figures(f"synthetic district ({args.communities} communities, {args.suggestions} suggestions)", content)
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
