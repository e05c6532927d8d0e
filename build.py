#!/usr/bin/env python3
"""Build the site: `python build.py`, `python build.py serve`, `python build.py new exercise "Cat Cow"`."""

import os
import sys
from pathlib import Path

INSTALL = "python3 -m venv .venv && .venv/bin/pip install -q -e ."


def _missing_packages() -> list[str]:
    """The packages this tool needs that this Python cannot import."""
    import importlib.util

    needed = ("jinja2", "markdown", "yaml", "livereload", "zxingcpp", "rcssmin", "rjsmin", "zipcodes", "textstat")
    return [name for name in needed if importlib.util.find_spec(name) is None]


if __name__ == "__main__":
    missing = _missing_packages()
    if missing:
        # A copy of the project run with a Python that lacks the packages: use the project's own
        # environment when it has been made, else say how to make it (never a traceback).
        venv_python = Path(__file__).resolve().parent / ".venv" / "bin" / "python"
        if venv_python.is_file() and Path(sys.executable).resolve() != venv_python.resolve():
            os.execv(venv_python, [str(venv_python), *sys.argv])
        print(f"build.py: this Python lacks {', '.join(missing)}; install the tool first: {INSTALL}",
              file=sys.stderr)
        sys.exit(1)
    from site_gen.cli import main

    sys.exit(main())
