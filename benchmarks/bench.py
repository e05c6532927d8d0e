"""Build-speed benchmark: `python benchmarks/bench.py --pages 1000 [--runs 5] [--text rich] [--json]`.

Generates, from a seed, a synthetic site of N exercises in the project's own format (500-700
words each, headings, steps, a quote, full front matter, spread over one topic's groups), 20
clinics and 5 programs, then times each build as a fresh `python build.py` process, over several
runs (median, min-max): a cold build, a rebuild with nothing changed, the first change after a
cold build, a rebuild after editing one exercise's text, one template and one exercise's title,
and the dev server's save-to-reload; and the builds' peak memory. `--text rich` adds an
apostrophe, a link or bold to half the paragraphs. The protocol (why old output is set aside, why
the disk is flushed before each build, why compiled modules are kept) is in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project's own site_gen, installed or not; Python's defaults for compiled modules.
ENV = {**{name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": str(ROOT)}
GROUPS = ("push", "pull", "carry", "reach", "mobility")  # the groups of the benchmark's one topic
WORDS = ("you", "your", "back", "hip", "knee", "slow", "keep", "hold", "breathe", "lift", "arm", "leg", "floor",
         "steady", "move", "rest", "feel", "stretch", "strong", "core", "walk", "stand", "bend", "turn", "side",
         "each", "day", "time", "easy", "gentle", "then", "and", "with", "the", "a", "to", "in", "on", "of")
NEW_WORDS = ("posture", "balance", "shoulder", "breathing", "stretching", "ankle", "elbow", "wrist")  # not in WORDS
# With --text rich, half the paragraphs end with one of these: what patient text has and plain
# generated prose lacks, each costing Markdown work (smarty's quotes, links, emphasis).
RICH_SENTENCES = ("Don't rush it.", "You'll feel it in your back.", "It's fine to rest.",
                  "Keep it **slow and steady**.", "See [how you move](../movement.md) for more.",
                  "Stop if it hurts; that's your cue.")


def sentence(rng: random.Random, low: int = 6, high: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def write_site(root: Path, pages: int, seed: int = 1, rich: bool = False) -> None:
    """A synthetic project: the shipped templates and settings, N exercises, 20 clinics, 5 programs;
    `rich`: with apostrophes, links and bold in half the paragraphs."""
    rng = random.Random(seed)
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copy(ROOT / "build.py", root / "build.py")
    content = root / "content"
    content.mkdir()
    shutil.copy(ROOT / "content" / "site.yaml", content / "site.yaml")
    (content / "index.md").write_text(f"---\ntitle: Exercises\nsummary: {sentence(rng)}\n---\n"
                                      f"{sentence(rng)} Start with [how you move](movement.md).\n")
    groups = "".join(f"  {group}:\n    name: {group.capitalize()}\n    description: {sentence(rng)}\n"
                     for group in GROUPS)
    (content / "movement.md").write_text(f"---\ntitle: How you move\nsummary: {sentence(rng)}\nmenu: Moving\n"
                                         f"coverage: true\ngroups:\n{groups}---\n{sentence(rng)} {sentence(rng)}\n")
    # One language, the shipped site's first: the same pages whatever languages the sample has.
    settings = re.sub(r"^languages: \[([^,\]]+).*$", r"language: \1", (content / "site.yaml").read_text(), flags=re.M)
    (content / "site.yaml").write_text(settings.split("# The care")[0] + "services:\n  back pain: []\n")
    exercises = content / "exercises"
    exercises.mkdir()
    slugs = []
    for number in range(pages):
        slug = f"exercise-{number:05d}"
        slugs.append(slug)
        paragraphs = []
        words = 0
        target = rng.randint(500, 700)
        while words < target:
            if rng.random() < 0.2:
                paragraphs.append(f"## {sentence(rng, 2, 4)[:-1]}")
            text = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
            if rich and rng.random() < 0.5:
                text += " " + rng.choice(RICH_SENTENCES)
            words += len(text.split())
            paragraphs.append(text)
        steps = "\n".join(f"  - {sentence(rng)}" for _ in range(rng.randint(4, 7)))
        (exercises / f"{slug}.md").write_text(f"""---
title: Exercise {number}
topics:
  movement: {GROUPS[number % len(GROUPS)]}
summary: {sentence(rng)}
muscles: [core, hips]
equipment: [a mat]
dosage:
  sets: {rng.randint(1, 3)}
  reps: {rng.randint(5, 15)}
  side: each side
  frequency: daily
steps:
{steps}
safety:
  - {sentence(rng)}
quote:
  text: "{sentence(rng)}"
  name: Sample Expert
  credentials: PT, DPT
  affiliation: Example Clinic
---
""" + "\n\n".join(paragraphs) + "\n")
    clinics = content / "clinics"
    clinics.mkdir()
    for number in range(20):
        (clinics / f"clinic-{number:02d}.yaml").write_text(f"""name: Example Physical Therapy {number}
street: {100 + number} Sample Street
city: Raleigh
region: NC
postal_code: "27601"
country: US
phone: "919-555-01{number:02d}"
latitude: {35.7 + number / 100:.4f}
longitude: -78.6400
timezone: America/New_York
hours:
  monday: "07:00-19:00"
  friday: "07:00-17:00"
services: [back pain]
""")
    programs = content / "programs"
    programs.mkdir()
    for number in range(5):
        chosen = "\n".join(f"  - exercise: {slug}" for slug in rng.sample(slugs, min(5, len(slugs))))
        (programs / f"program-{number}.yaml").write_text(
            f"title: Program {number}\nsummary: {sentence(rng)}\nexercises:\n{chosen}\n")


def timed_build(root: Path) -> float:
    """Seconds of one `python build.py` process, as a user runs it; the files earlier builds wrote
    are first flushed to disk (not timed), so that no build shares the disk with their writing back."""
    if hasattr(os, "sync"):
        os.sync()
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "build.py", "-q"], cwd=root, capture_output=True, text=True, env=ENV)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"build failed:\n{result.stderr[-2000:]}")
    return seconds


def serve_reload(root: Path, runs: int) -> list[float]:
    """Save an edit to an exercise's text; time until the dev server serves the rebuilt page."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "build.py", "serve", "--port", str(port), "-q"], cwd=root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    url = f"http://127.0.0.1:{port}/exercises/exercise-00000/"

    def fetch() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 120
        while "Exercise 0" not in fetch():
            if time.monotonic() > deadline:
                raise SystemExit("the dev server did not start")
            time.sleep(0.1)
        path = root / "content" / "exercises" / "exercise-00000.md"
        original = path.read_text()
        timings = []
        for run in range(runs):
            marker = f"Edited {run} {time.time():.0f}"
            path.write_text(original + f"\n{marker}.\n")
            started = time.perf_counter()
            while marker not in fetch():
                time.sleep(0.005)
            timings.append(time.perf_counter() - started)
            time.sleep(1.0)  # a person saves again a second or more later; output/ is written meanwhile
        path.write_text(original)
        return timings
    finally:
        server.terminate()
        server.wait()


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def run_benchmark(pages: int, runs: int, rich: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        root, set_aside = Path(scratch) / "site", Path(scratch) / "set-aside"
        root.mkdir()
        set_aside.mkdir()
        write_site(root, pages, rich=rich)
        results: dict[str, list[float]] = {name: [] for name in ("cold", "unchanged", "first_change", "one_body",
                                                                 "one_template", "one_front_matter")}
        body = root / "content" / "exercises" / "exercise-00001.md"
        other = root / "content" / "exercises" / "exercise-00002.md"
        template = root / "templates" / "exercise.html"  # the project's copy of the theme's, edited below
        shutil.copy(ROOT / "site_gen" / "theme" / "exercise.html", template)
        for run in range(runs):
            for made in (".cache", "output", ".output.previous"):  # as in a fresh checkout (see above)
                if (root / made).exists():
                    (root / made).rename(set_aside / f"{made}-{run}")
            results["cold"].append(timed_build(root))
            results["unchanged"].append(timed_build(root))
            other.write_text(other.read_text() + f"\nOne more line, run {run}.\n")
            results["first_change"].append(timed_build(root))
            # With a word no page had, which the reading grade looks up in the pronunciation dictionary.
            body.write_text(body.read_text() + f"\nOne more line about your {NEW_WORDS[run % len(NEW_WORDS)]}.\n")
            results["one_body"].append(timed_build(root))
            template.write_text(template.read_text() + f"\n{{# edited {run} #}}\n")
            results["one_template"].append(timed_build(root))
            # A title shows on many pages (lists, neighbours, programs): every page is rendered again.
            body.write_text(body.read_text().replace("title: Exercise 1", f"title: Exercise 1 ({run})", 1))
            results["one_front_matter"].append(timed_build(root))
        # The largest resident set of any build so far (ru_maxrss is in KB on Linux).
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        results["serve_reload"] = serve_reload(root, runs)
    report = {name: summary(values) for name, values in results.items()}
    report["peak_rss_mb"] = peak_kb / 1024
    report["pages"] = pages
    report["text"] = "rich" if rich else "plain"
    report["runs"] = runs
    return report


LABELS = {"cold": "cold full build (no cache)", "unchanged": "rebuild, nothing changed",
          "first_change": "first change after a cold build (once)",
          "one_body": "rebuild after editing one exercise's text",
          "one_template": "rebuild after editing one template",
          "one_front_matter": "rebuild after editing one exercise's title",
          "serve_reload": "dev server: save text to reload"}


def main() -> None:
    parser = argparse.ArgumentParser(description="Time builds of a synthetic site.")
    parser.add_argument("--pages", type=int, default=1000, help="exercises to generate (default 1000)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement (default 5)")
    parser.add_argument("--text", choices=("plain", "rich"), default="plain",
                        help="plain generated prose (default), or rich: apostrophes, links and bold in half the "
                             "paragraphs")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    report = run_benchmark(args.pages, args.runs, rich=args.text == "rich")
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{args.pages} exercises, {args.text} text, {args.runs} runs each (seconds: median, min-max)")
    for name, label in LABELS.items():
        figures = report[name]
        print(f"  {label:42} {figures['median']:7.3f}  ({figures['min']:.3f}-{figures['max']:.3f})")
    print(f"  {'peak memory of any build':38} {report['peak_rss_mb']:7.0f} MB")


if __name__ == "__main__":
    main()
