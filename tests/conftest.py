"""Shared fixtures: scratch sites made from the shipped content, builds run as a user would."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from site_gen.build.theme import DEFAULT_THEME
from site_gen.cli import main

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Site:
    """A copy of the shipped project in a temporary folder, to edit and build."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def override(self, name: str) -> str:
        """The project's own copy of a default theme file (made from the default's when it has none),
        as a path to edit; its templates folder overrides the theme file by file."""
        rel = f"templates/{name}"
        if not (self.root / rel).exists():
            self.write(rel, (DEFAULT_THEME / name).read_text(encoding="utf-8"))
        return rel

    def edit(self, rel: str, old: str, new: str) -> None:
        """Replace text that must be there, so a test cannot silently edit nothing."""
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))


@dataclass
class Run:
    status: int
    out: str
    err: str

    @property
    def errors(self) -> list[str]:
        """Problem lines (not the closing summary)."""
        return [line for line in self.err.splitlines() if not line.startswith("Build failed")]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test using Chromium or the PDF tools is a `browser` test: `pytest -m "not browser"` is the quick loop."""
    for item in items:
        if {"browser", "pdf_tools", "phone"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The shipped content and templates, copied; the working folder is the copy's root."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    monkeypatch.chdir(root)
    return Site(root)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):
    """Run the command line in this process, as `python build.py ARGS` would."""

    def run_cli(*args: str) -> Run:
        status = main(list(args))
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run_cli


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content built once into a temporary output folder."""
    output = tmp_path_factory.mktemp("built") / "output"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        # A fixed day, so that the shipped closures and review dates read the same whenever the tests run.
        assert main(["--content", "content", "--templates", "templates", "--output", str(output), "-q",
                     "--today", "2026-12-01"]) == 0
    finally:
        os.chdir(cwd)
    return output


def skip_or_fail(reason: str) -> NoReturn:
    """Skip a test that needs a tool this machine lacks, saying so; under REQUIRE_BROWSER=1 (as
    .ci/run sets) fail instead, so that CI never passes by skipping."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def find_chromium() -> str | None:
    """Debian's chromium (or another Chromium on PATH, or $CHROMIUM)."""
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name) if name else None
        if path:
            return path
    return None


CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Playwright; skips without one, fails under REQUIRE_BROWSER=1."""
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "Playwright for Python is not installed (pip install -e '.[test]')"
    path = find_chromium()
    if reason is None and path is None:
        reason = "no Chromium found (install Debian's chromium package, or set CHROMIUM to its path)"
    if reason:
        skip_or_fail(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def serving(handler: type[http.server.SimpleHTTPRequestHandler] | None = None):
    """Serve built folders over HTTP on 127.0.0.1 while in the block: gives a function that serves
    a folder and returns its address."""
    servers = []

    def start(folder: Path) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                 functools.partial(handler or QuietHandler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    try:
        yield start
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The built shipped site, served over HTTP on 127.0.0.1."""
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="session")
def pdf_tools():
    """poppler-utils (pdfinfo, pdftotext, pdftoppm) and zbarimg, to read printed pages like a patient's phone."""
    missing = [tool for tool in ("pdfinfo", "pdftotext", "pdftoppm", "zbarimg") if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} not found (Debian: apt-get install poppler-utils zbar-tools)"
        skip_or_fail(reason)
