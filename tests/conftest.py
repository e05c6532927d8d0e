"""Shared fixtures: scratch sites made from the shipped content, builds run as a user would."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

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
        assert main(["--content", "content", "--templates", "templates", "--output", str(output), "-q"]) == 0
    finally:
        os.chdir(cwd)
    return output
