#!/usr/bin/env python3
"""Build the site: `python build.py`, `python build.py serve`, `python build.py new exercise "Cat Cow"`.

Run by a Python without the tool's packages, it installs them once into the project's `.venv/`
and runs itself there, so `python build.py` works on a fresh copy.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTALL = "python3 -m venv .venv && .venv/bin/pip install -q -e ."
_INSTALLED = "SITE_GEN_INSTALLED"  # set once this script has installed, so it never loops


def _missing_packages() -> list[str]:
    """The packages this tool needs that this Python cannot import."""
    import importlib.util

    needed = ("jinja2", "markdown", "yaml", "livereload", "watchdog", "zxingcpp", "rcssmin", "rjsmin", "pyphen",
              "phonenumbers", "pycountry", "tzfpy", "tzdata")
    return [name for name in needed if importlib.util.find_spec(name) is None]


def _run_in_project_environment(missing: list[str]) -> None:
    """Re-run this command with `.venv/`'s Python, making it and installing the tool first if needed."""
    import subprocess
    venv_python = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    in_venv = Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()  # its python links to the base one
    needs_install = not venv_python.is_file() or in_venv
    if needs_install and os.environ.get(_INSTALLED):
        sys.exit(f"build.py: the install finished but Python still lacks {', '.join(missing)}; "
                 f"install by hand: {INSTALL}")
    if needs_install:
        print("build.py: installing the tool into .venv/ (once; about a minute)...", file=sys.stderr, flush=True)
        steps = [] if venv_python.is_file() else [[sys.executable, "-m", "venv", str(ROOT / ".venv")]]
        steps.append([str(venv_python), "-m", "pip", "install", "-q", "-e", str(ROOT)])
        for step in steps:
            result = subprocess.run(step, capture_output=True, text=True)
            if result.returncode:
                reason = (result.stderr.strip().splitlines() or ["no message"])[-1]
                sys.exit(f"build.py: could not install the tool ({reason}); install by hand: {INSTALL}")
        os.environ[_INSTALLED] = "1"
    os.execv(venv_python, [str(venv_python), __file__, *sys.argv[1:]])


if __name__ == "__main__":
    missing = _missing_packages()
    if missing:
        _run_in_project_environment(missing)
    import gc

    from site_gen.cli import main

    # This process ends as soon as the command does, without freeing the build's objects one by one
    # (os._exit below), so the cycle collector would only spend time on them.
    gc.disable()
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
