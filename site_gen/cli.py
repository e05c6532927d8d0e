"""Command line: `build` (the default), `serve` and `new exercise NAME`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import traceback
from dataclasses import asdict
from pathlib import Path

from site_gen.build.pipeline import BuildOptions, build, check
from site_gen.content.problems import BuildFailed
from site_gen.serve.report import print_problems, summary_line


def main(argv: list[str] | None = None) -> int:
    """Run a command; returns the exit status (0 done, 1 content errors, 2 usage)."""
    args = _parser().parse_args(argv)
    options = BuildOptions(
        content=Path(args.content), templates=Path(args.templates), output=Path(args.output),
        base_url=args.base_url, strict=args.strict, **({"today": args.today} if args.today else {}),
    )
    try:
        if args.command == "serve":
            from site_gen.serve.server import serve  # tornado is only needed here

            return serve(options, host=args.host, port=args.port, quiet=args.quiet)
        if args.command == "new":
            from site_gen.serve.scaffold import new_exercise

            return new_exercise(options.content, " ".join(args.name))
        if args.command == "check":
            return run_check(options, quiet=args.quiet)
        return run_build(options, quiet=args.quiet, verbose=args.verbose)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, not a content mistake: one line for staff, details with -v
        print(f"site-gen: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        else:
            print("Run again with -v for details, and report it with the output.", file=sys.stderr)
        return 1


def run_build(options: BuildOptions, quiet: bool = False, verbose: bool = False) -> int:
    """Build once; print the errors or a one-line summary."""
    try:
        result = build(options)
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
    """Render and check every page without writing the site; print a table and write a JSON report."""
    try:
        result = check(options)
    except BuildFailed as failed:
        print_problems(failed.problems, "error")
        print(f"Check failed: {len(failed.problems)} error(s).", file=sys.stderr)
        return 1
    report_path = options.output.parent / f"{options.output.name}-report.json"
    report_path.write_text(json.dumps([asdict(page) for page in result.reports], indent=2, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    if not quiet:
        print(f"{'page':44} {'grade':>5} {'KB':>5} {'budget':>6}  findings")
        for page in result.reports:
            grade = f"{page.grade:.1f}" if page.grade is not None else "-"
            print(f"{page.url[:44]:44} {grade:>5} {page.weight / 1024:5.1f} {page.budget / 1024:6.0f}  "
                  f"{len(page.findings) or ''}")
        external = sorted({link for page in result.reports for link in page.external_links})
        print(f"{len(result.reports)} pages checked; {len(external)} links to other sites listed in {report_path} "
              "(not fetched).")
    print_problems(result.warnings, "warning")
    return 0


def _common_options(with_defaults: bool) -> argparse.ArgumentParser:
    """Options every command takes, before or after its name.

    After the command name the defaults are suppressed, so `--content x serve` keeps x.
    """
    def default(value):
        return value if with_defaults else argparse.SUPPRESS

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", default=default("content"), help="content folder (default: content)")
    common.add_argument("--templates", default=default("templates"), help="templates folder (default: templates)")
    common.add_argument("--output", default=default("output"),
                        help="output folder, replaced on every build (default: output)")
    common.add_argument("--base-url", default=default(None), help="address the site is published at; overrides site.yaml")
    common.add_argument("--strict", action="store_true", default=default(False), help="treat warnings as errors")
    common.add_argument("-q", "--quiet", action="store_true", default=default(False), help="print only problems")
    common.add_argument("-v", "--verbose", action="store_true", default=default(False), help="list every file written")
    common.add_argument("--today", type=dt.date.fromisoformat, default=default(None), metavar="YYYY-MM-DD",
                        help="check review dates as of this day (default: today)")
    return common


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-gen", parents=[_common_options(True)],
        description="Build the clinic's patient-education site from content/ and templates/ into output/.",
    )
    parser.set_defaults(command="build", host="127.0.0.1", port=8000)
    after = _common_options(False)
    commands = parser.add_subparsers(dest="command", metavar="{build,check,serve,new}")
    commands.add_parser("build", parents=[after], help="build the site (the default)")
    commands.add_parser("check", parents=[after], help="check every page (reading level, links, weight, ...) "
                                                       "without writing the site; report beside the output folder")
    serve = commands.add_parser("serve", parents=[after], help="build, serve on 127.0.0.1 and rebuild on save")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    new = commands.add_parser("new", parents=[after], help='start a new content file: new exercise "Cat Cow"')
    new.add_argument("kind", choices=["exercise"], help="what to create")
    new.add_argument("name", nargs="+", help="its title")
    return parser
