"""The command line as staff use it: build, its summary, its refusals, and `new exercise`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_build_prints_one_summary_line(site, run):
    result = run()
    assert result.status == 0
    pages = len(list(site.output.rglob("*.html")))  # the pages it wrote
    assert re.fullmatch(rf"Built {pages} pages into output/ in \d+\.\d\d s, 0 warnings\.\n", result.out)
    assert result.err == ""
    assert (site.output / "exercises" / "bird-dog" / "index.html").is_file()


def test_quiet_prints_nothing_and_verbose_lists_files(site, run):
    assert run("-q").out == ""
    verbose = run("-v").out
    assert "  wrote output/exercises/bird-dog/index.html\n" in verbose


def test_build_py_runs_as_a_script_from_a_fresh_checkout(tmp_path):
    output = tmp_path / "out"
    result = subprocess.run([sys.executable, "build.py", "--output", str(output)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Built {len(list(output.rglob('*.html')))} pages into ")


@pytest.mark.slow
def test_build_py_on_a_fresh_copy_installs_the_tool_once_and_builds(tmp_path):
    # A copy without .venv, run by a Python that cannot see installed packages (-S), as staff first run it.
    for name in ("content", "templates", "site_gen"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("build.py", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    first = subprocess.run([sys.executable, "-S", "build.py", "-q"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=300)
    assert first.returncode == 0, first.stderr
    assert first.stderr == "build.py: installing the tool into .venv/ (once; about a minute)...\n"
    assert (tmp_path / "output" / "exercises" / "bird-dog" / "index.html").is_file()
    again = subprocess.run([sys.executable, "-S", "build.py", "-q"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=120)
    assert (again.returncode, again.stderr) == (0, "")  # installed once: the second run goes straight to .venv


@pytest.mark.slow
def test_build_py_that_cannot_install_says_how_in_one_line(tmp_path):
    # No pyproject.toml beside it, so pip cannot install: one line, no traceback.
    shutil.copy(ROOT / "build.py", tmp_path / "build.py")
    result = subprocess.run([sys.executable, "-S", "build.py"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith("build.py: could not install the tool (") and "pip install -q -e ." in last


def test_two_builds_of_the_same_input_are_byte_identical(site, run, tmp_path):
    assert run("--output", str(tmp_path / "a"), "-q").status == 0
    assert run("--output", str(tmp_path / "b"), "-q").status == 0
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert first == second
    assert len(first) > 20


def test_a_rebuild_replaces_removed_pages(site, run):
    assert run().status == 0
    (site.content / "clinics" / "cary.yaml").unlink()
    assert run().status == 0
    assert not (site.output / "clinics" / "cary").exists()


@pytest.mark.parametrize("output, what", [
    ("content", "is the content folder (content)"),
    ("templates", "is the templates folder (templates)"),
    (".", "is the project folder (.)"),
    ("..", "contains the content folder (content)"),
    ("content/out", "is inside the content folder"),
])
def test_output_folder_cannot_replace_the_project(site, run, output, what):
    before = sorted(p.relative_to(site.root) for p in site.root.rglob("*"))
    result = run("--output", output)
    assert result.status == 1
    assert any(what in line for line in result.errors), result.err
    assert sorted(p.relative_to(site.root) for p in site.root.rglob("*")) == before


def test_output_folder_with_other_files_is_refused(site, run):
    site.write("output/notes.txt", "mine")
    result = run()
    assert result.status == 1
    assert result.errors == ["output: already has files not made by site-gen; empty it or choose another "
                             "folder, as every build replaces it"]
    assert site.read("output/notes.txt") == "mine"


def test_strict_turns_warnings_into_failure(site, run):
    site.edit("content/exercises/bird-dog.md", "## Tips", "# Tips")
    relaxed = run()
    assert relaxed.status == 0
    assert ("content/exercises/bird-dog.md:45: headings: 2 top-level headings; a page needs exactly one (its title): "
            "start headings in the text at ## (page exercises/bird-dog/) (warning)\n") == relaxed.err
    assert "1 warning." in relaxed.out
    strict = run("--strict")
    assert strict.status == 1


def test_uncovered_group_of_a_coverage_topic_is_a_warning_and_shown_on_the_page(site, run):
    site.edit("content/exercises/pallof-press.md", "spine-planes: rotation", "spine-planes: flexion")
    result = run()
    assert result.status == 0
    assert ('content/spine-planes.md: groups.rotation: no exercise belongs to "Twisting"; the page says so '
            "(warning)") in result.err
    page = site.read("output/spine-planes/index.html")
    assert "One of the four is not covered yet." in page


def test_new_exercise_writes_a_file_to_fill_in(site, run):
    result = run("new", "exercise", "Cat", "Cow")
    assert result.status == 0
    path = site.content / "exercises" / "cat-cow.md"
    text = path.read_text()
    for field in ("title", "topics", "summary", "muscles", "equipment", "dosage", "sets", "reps", "hold_seconds",
                  "duration", "distance", "rest", "side", "frequency", "spread_over_day", "action", "steps", "safety",
                  "quote"):
        assert re.search(rf"^\s*{field}:", text, re.M), field
    assert 'title: "Cat Cow"' in text
    assert "#   spine-planes: flexion, extension, rotation, side-bending, mobility\ntopics:\n" in text
    built = run()
    assert built.status == 1
    assert "content/exercises/cat-cow.md:16: summary: missing; expected text" in built.errors


def test_new_exercise_never_overwrites(site, run):
    before = site.read("content/exercises/bird-dog.md")
    result = run("new", "exercise", "Bird Dog")
    assert result.status == 1
    assert result.err == "site-gen: content/exercises/bird-dog.md already exists; it was left as it is\n"
    assert site.read("content/exercises/bird-dog.md") == before


def test_options_work_before_and_after_the_command(site, run, tmp_path):
    (site.root / "content").rename(site.root / "words")
    assert run("--content", "words", "build", "-q").status == 0
    assert run("build", "--content", "words", "-q").status == 0


def test_program_with_its_own_dosage_and_a_group_left_out(site, run):
    site.write("content/programs/core-start.yaml", """title: Core start
summary: Two exercises to begin with.
exercises:
  - exercise: bird-dog
    dosage:
      sets: 2
      reps: 8
      side: each side
      frequency: 2 times a day
    note: Start with 8 on each side.
  - exercise: pallof-press
""")
    result = run()
    assert result.status == 0
    assert ('content/programs/core-start.yaml: exercises: no exercise of it belongs to "Bending backward" '
            "(content/spine-planes.md asks programs to cover every group); the program page says so (warning)"
            ) in result.err
    page = site.read("output/programs/core-start/index.html")
    assert "This program does not train bending backward, bending to the side." in page
    assert "Do 2 sets of 8 on each side, twice a day.</strong> Set by your therapist for this program." in page
    packet = site.read("output/programs/core-start/print.html")
    assert packet.count('<span class="tick"></span>') == 14 * 2 + 14  # twice a day, then daily
    assert "Do 2 sets of 8 on each side, twice a day." in packet
    assert '<p class="given-note">Start with 8 on each side.</p>' in packet


def test_a_build_leaves_the_process_as_it_found_it(site, run):
    import gc
    import signal

    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    assert gc.isenabled()
    assert run("-q").status == 0
    assert run("-q", "check").status == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert {number: signal.getsignal(number) for number in handlers} == handlers
