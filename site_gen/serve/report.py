"""What the command line and the dev server print: problems, one per line, and the build's summary."""

from __future__ import annotations

import sys
from pathlib import Path

from site_gen.build.pipeline import BuildResult
from site_gen.content.problems import Problem


def summary_line(result: BuildResult, output: Path) -> str:
    warnings = len(result.warnings)
    return (f"Built {result.pages} pages into {output}/ in {result.seconds:.2f} s, "
            f"{warnings} {'warning' if warnings == 1 else 'warnings'}.")


def print_problems(problems: list[Problem], label: str) -> None:
    for problem in problems:
        print(f"{problem}" if label == "error" else f"{problem} (warning)", file=sys.stderr)
