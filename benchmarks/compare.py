"""Compare the build speed of two checkouts, interleaved on one machine:

    python benchmarks/compare.py --before ../old-checkout --after . [--pages 1000] [--rounds 5] [--text rich]

Each round runs each checkout's own benchmark once (`benchmarks/bench.py`, or `site_gen/bench.py`
in checkouts from before it moved), before then after, so that both meet the machine in the same
state; each row's median over the rounds is printed for both. A machine's speed moves over the
day: only figures taken side by side like this compare.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROWS = ("cold", "unchanged", "one_body", "serve_reload", "one_template", "one_front_matter", "first_change")


def run_bench(checkout: Path, pages: int, text: str) -> dict:
    """One run of a checkout's benchmark, as JSON."""
    script = checkout / "benchmarks" / "bench.py"
    command = ([sys.executable, str(script)] if script.is_file()
               else [sys.executable, "-m", "site_gen.bench"])
    command += ["--pages", str(pages), "--runs", "1", "--text", text, "--json"]
    result = subprocess.run(command, cwd=checkout, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=Path("."))
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--text", choices=("plain", "rich"), default="plain")
    args = parser.parse_args()
    figures: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    for _ in range(args.rounds):
        for name, checkout in (("before", args.before), ("after", args.after)):
            report = run_bench(checkout.resolve(), args.pages, args.text)
            for row in ROWS:
                figures[name].setdefault(row, []).append(report[row]["median"])
            figures[name].setdefault("peak_rss_mb", []).append(report["peak_rss_mb"])
    print(f"{args.pages} exercises, {args.text} text, {args.rounds} interleaved rounds (medians; seconds, MB)")
    print(f"{'':22} {'before':>8} {'after':>8} {'change':>7}")
    for row in (*ROWS, "peak_rss_mb"):
        before, after = (statistics.median(figures[name][row]) for name in ("before", "after"))
        print(f"{row:22} {before:8.3f} {after:8.3f} {after / before - 1:+7.1%}")


if __name__ == "__main__":
    main()
