#!/usr/bin/env python3
"""Build the site: `python build.py`, `python build.py serve`, `python build.py new exercise "Cat Cow"`."""

import sys

from site_gen.cli import main

if __name__ == "__main__":
    sys.exit(main())
