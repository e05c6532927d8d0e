"""Command line: `build` (the default), `check`, `serve` and `new KIND NAME`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from site_gen.build.pipeline import BuildOptions, BuildResult, build, check
from site_gen.content.problems import BuildFailed
from site_gen.serve.report import (
    Progress,
    print_problems,
    summary_line,
    write_html_report,
)
from site_gen.serve.scaffold import SCAFFOLDS, new_file

DEFAULT_PROG = "site-gen"  # the installed script's name; what a caller of main(argv) is called


def _port(text: str) -> int:
    """A TCP port number, for --port."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f'expected a port number from 1 to 65535, such as 8001, got "{text}"')
    return int(text)


# Every option: its flags, and its argparse settings but the help, which each command words its own way.
OPTIONS = {
    "content": (("--content",), {"metavar": "DIR"}),
    "templates": (("--templates",), {"metavar": "DIR"}),
    "output": (("--output",), {"metavar": "DIR"}),
    "base_url": (("--base-url",), {"metavar": "URL"}),
    "strict": (("--strict",), {"action": "store_true"}),
    "offline": (("--offline",), {"action": "store_true"}),
    "today": (("--today",), {"type": dt.date.fromisoformat, "metavar": "YYYY-MM-DD"}),
    "quiet": (("-q", "--quiet"), {"action": "store_true"}),
    "verbose": (("-v", "--verbose"), {"action": "store_true"}),
    "host": (("--host",), {}),
    "port": (("--port",), {"type": _port, "metavar": "NUMBER"}),
}
DEFAULTS = {"content": "content", "templates": "templates", "output": "output", "base_url": None, "strict": False,
            "offline": False, "today": None, "quiet": False, "verbose": False, "host": "127.0.0.1", "port": 8000}
_CONTENT = "content folder (default: content)"
_TEMPLATES = "your templates, over the default theme (default: templates)"
_BASE_URL = "the address the site is published at; overrides base_url in site.yaml"
_TODAY = "check review dates, and leave out closures that are over, as of this day (default: today)"
_DETAILS = "show the details of an internal error"
# Not for serve: its pages are served over HTTP, where folder links work.
_OFFLINE = "links name each folder's index.html, for a copy opened from disk or a USB stick"
# Each command: its one-line description, and the help of each option it takes.
COMMANDS = {
    "build": ("build the site into the output folder (the default command)", {
        "content": _CONTENT, "templates": _TEMPLATES,
        "output": "output folder, replaced by each complete build (default: output)",
        "base_url": _BASE_URL, "strict": "fail on any warning, not only on errors", "offline": _OFFLINE,
        "today": _TODAY, "quiet": "print only problems", "verbose": "list every file written"}),
    "check": ("check every page without writing the site; reports (JSON and HTML) beside the output folder", {
        "content": _CONTENT, "templates": _TEMPLATES,
        "output": "the reports are written beside it, as DIR-report.json and DIR-report.html (default: output)",
        "base_url": _BASE_URL, "strict": "fail on any warning, not only on errors", "offline": _OFFLINE,
        "today": _TODAY, "quiet": "print only problems, not the table", "verbose": _DETAILS}),
    "serve": ("build, serve on this computer, rebuild on each save and reload the page", {
        "content": _CONTENT, "templates": _TEMPLATES,
        "output": "output folder, replaced by each complete build (default: output)",
        "base_url": _BASE_URL, "strict": "show any warning as an error", "today": _TODAY,
        "quiet": "print only problems", "verbose": _DETAILS,
        "host": "address to listen on (default: 127.0.0.1, this computer only)",
        "port": "port to listen on (default: 8000)"}),
    "new": ("start a new content file to fill in: a clinic, exercise, program or topic", {
        "content": "content folder to write it in (default: content)", "quiet": "print only problems",
        "verbose": _DETAILS}),
}
_NEW_EXAMPLES = """examples:
  {prog} new exercise "Cat Cow"            writes content/exercises/cat-cow.md
  {prog} new topic "How your knee works"   writes content/how-your-knee-works.md
  {prog} new program "Knee basics"         writes content/programs/knee-basics.yaml
  {prog} new clinic "Apex"                 writes content/clinics/apex.yaml
Each file has every field, explained; fill them in and build. An existing file is never replaced."""
# Options that may also come before the command's name (build's); the others (--host, --port) only after it.
BEFORE_COMMAND = ("content", "templates", "output", "base_url", "strict", "offline", "today", "quiet", "verbose")


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    """Run a command; returns the exit status: 0 done; 1 content errors, or what the command could
    not do (replace a file, listen on a port in use); 2 a command line that does not parse.

    Messages name the program as it was called (`build.py`, `site-gen`); `prog` overrides that.
    """
    prog = prog or (program_name() if argv is None else DEFAULT_PROG)
    parser = _parser(prog)
    args = parser.parse_args(argv)
    command = args.command or "build"
    given = vars(args)  # the options given, before or after the command's name (none has a default)
    for name in OPTIONS:
        if name in given and name not in COMMANDS[command][1]:
            parser.error(f"{OPTIONS[name][0][-1]} does not apply to {command}; see {prog} {command} --help")
    for name, default in DEFAULTS.items():
        given.setdefault(name, default)  # into args itself
    options = BuildOptions(
        content=Path(args.content), templates=Path(args.templates), output=Path(args.output),
        base_url=args.base_url, strict=args.strict, offline=args.offline,
        **({"today": args.today} if args.today else {}),
    )
    try:
        if command == "serve":
            from site_gen.serve.server import serve  # tornado is only needed here

            return serve(options, host=args.host, port=args.port, quiet=args.quiet, prog=prog)
        if command == "new":
            return new_file(options.content, args.kind, " ".join(args.name), quiet=args.quiet, prog=prog)
        if command == "check":
            return run_check(options, quiet=args.quiet)
        return run_build(options, quiet=args.quiet, verbose=args.verbose)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, not a content mistake: one line for staff, details with -v
        print(f"{prog}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        else:
            print("Run again with -v for details, and report it with the output.", file=sys.stderr)
        return 1


def program_name() -> str:
    """The name this program was called by: `build.py` when run as `python build.py`, `site-gen`
    as the installed script."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    name = name.removesuffix(".exe")
    return DEFAULT_PROG if name in ("", "-c", "__main__.py") else name


def run_build(options: BuildOptions, quiet: bool = False, verbose: bool = False) -> int:
    """Build once; print the errors or a one-line summary."""
    try:
        result = _with_progress(build, options, quiet)
    except BuildFailed as failed:
        print_problems(failed.problems, "error")
        print_problems([w for w in failed.warnings if w not in failed.problems], "warning")
        count = len(failed.problems)
        print(f"Build failed: {count} {'error' if count == 1 else 'errors'}. "
              f"Nothing in {options.output}/ was changed.", file=sys.stderr)
        return 1
    print_problems(result.warnings, "warning")
    if verbose:
        for path in sorted(result.files):
            print(f"  wrote {options.output / path}")
    if not quiet:
        print(summary_line(result, options.output))
    return 0


def run_check(options: BuildOptions, quiet: bool = False) -> int:
    """Render and check every page without writing the site; print a table and write the reports
    beside the output folder: JSON, and HTML for staff who would rather look than read."""
    json_path, html_path = report_paths(options)
    try:
        result = _with_progress(check, options, quiet)
    except BuildFailed as failed:
        print_problems(failed.problems, "error")
        write_html_report(html_path, options, [], [], problems=failed.problems)
        print(f"Check failed: {len(failed.problems)} error(s), listed in {html_path} too.", file=sys.stderr)
        return 1
    json_path.write_text(json.dumps([asdict(page) for page in result.reports], indent=2, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    write_html_report(html_path, options, result.reports, result.warnings)
    if not quiet:
        print(f"{'page':44} {'grade':>5} {'target':>6} {'KB':>5} {'budget':>6}  findings")
        for page in result.reports:
            grade = f"{page.grade:.1f}" if page.grade is not None else "-"
            target = f"{page.target_grade:g}" if page.target_grade is not None else "-"
            print(f"{page.url[:44]:44} {grade:>5} {target:>6} {page.weight / 1024:5.1f} {page.budget / 1024:6.0f}  "
                  f"{len(page.findings) or ''}")
        external = sorted({link for page in result.reports for link in page.external_links})
        print(f"{len(result.reports)} pages checked; {len(external)} links to other sites listed in {json_path} "
              "(not fetched).")
        print(f"To see the report in a web browser, open {html_path}")
    print_problems(result.warnings, "warning")
    return 0


def report_paths(options: BuildOptions) -> tuple[Path, Path]:
    """Where `check` writes its reports: beside the output folder, named after it."""
    stem = options.output.parent / f"{options.output.name}-report"
    return stem.with_name(stem.name + ".json"), stem.with_name(stem.name + ".html")


def _with_progress(step: Callable[..., BuildResult], options: BuildOptions, quiet: bool) -> BuildResult:
    """Run `build` or `check`, showing its progress on the terminal once it runs long (see Progress)."""
    progress = None if quiet else Progress.on_terminal(sys.stderr)
    # The pipeline reports its progress once it takes a `progress` callable; until then it runs without.
    if progress is None:
        return step(options)
    try:
        return step(options, progress=progress)
    finally:
        progress.clear()


def _parser(prog: str) -> argparse.ArgumentParser:
    """Options may come before or after the command's name; each command's help lists only its own."""
    parser = argparse.ArgumentParser(
        prog=prog, usage=f"{prog} [COMMAND] [options]",
        description="Build the clinic's patient-education site from content/ and templates/ into output/.",
        epilog=f"Each command takes its options before or after its name; `{prog} COMMAND --help` lists them.",
    )
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND", prog=prog)
    for name, (description, helps) in COMMANDS.items():
        command = commands.add_parser(name, help=description, description=description[:1].upper() + description[1:] + ".",
                                      epilog=_NEW_EXAMPLES.format(prog=prog) if name == "new" else None,
                                      formatter_class=argparse.RawDescriptionHelpFormatter)
        _add_options(command, helps)
        # The others are read too, unlisted, so that main() can say they do not apply here.
        _add_options(command, {other: argparse.SUPPRESS for other in BEFORE_COMMAND if other not in helps})
        if name == "new":
            command.add_argument("kind", choices=list(SCAFFOLDS), metavar="KIND",
                                 help=f"what to start: {', '.join(SCAFFOLDS)}")
            command.add_argument("name", nargs="+", metavar="TITLE", help='its title, such as "Cat Cow"')
    build_help = COMMANDS["build"][1]
    _add_options(parser.add_argument_group("options of build, the default command"),
                 {name: build_help[name] for name in BEFORE_COMMAND})
    return parser


def _add_options(parser, helps: dict[str, str]) -> None:
    """Add these options, with their help; none has a default here (see DEFAULTS), so an option
    given before the command is kept, and main() can tell which were given."""
    for name, help_text in helps.items():
        flags, settings = OPTIONS[name]
        parser.add_argument(*flags, dest=name, default=argparse.SUPPRESS, help=help_text, **settings)
