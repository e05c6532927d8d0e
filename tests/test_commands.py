"""The commands as staff meet them: `new` for every kind, each command's help, a busy port, and a
long build's progress on the terminal."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from site_gen.build.pipeline import BuildResult
from site_gen.cli import main
from site_gen.kinds import clinic, dosage, exercise, program, topic
from site_gen.serve import report
from site_gen.serve.report import Progress

# kind: (title, the file written, the page it makes once filled in)
NEW = {
    "clinic": ("Apex", "content/clinics/apex.yaml", "output/clinics/apex/index.html"),
    "exercise": ("Cat Cow", "content/exercises/cat-cow.md", "output/exercises/cat-cow/index.html"),
    "program": ("Knee basics", "content/programs/knee-basics.yaml", "output/programs/knee-basics/index.html"),
    "topic": ("How your knee works", "content/how-your-knee-works.md", "output/how-your-knee-works/index.html"),
}
# Each kind's fields: written to fill in, and those of optional blocks written as notes ("# what:").
FIELDS = {
    "clinic": (clinic.CLINIC_FIELDS, clinic.WEEKDAYS + clinic.CLOSURE_FIELDS),
    "exercise": (exercise.EXERCISE_FIELDS + exercise.QUOTE_FIELDS + dosage.DOSAGE_FIELDS, exercise.MEASURE_FIELDS),
    "program": (program.PROGRAM_FIELDS + program.PROGRAM_ITEM_FIELDS, dosage.DOSAGE_FIELDS),
    "topic": (topic.TOPIC_FIELDS + topic.GROUP_FIELDS, ()),
}
# What staff write in: each field's value (the first empty line of that field), then list items.
FILLED = {
    "clinic": ({"street": "200 Main Street", "city": "Cary", "region": "NC", "postal_code": '"27511"',
                "country": "US", "phone": '"919-555-0199"', "latitude": "35.7882", "longitude": "-78.7809",
                "timezone": "America/New_York"}, ["back pain"]),
    "exercise": ({"summary": "Loosens your whole back.", "text": "It feels good.", "name": "Ann Lee",
                  "credentials": "PT, DPT", "affiliation": "Example Physical Therapy"},
                 ["back muscles", "Get on your hands and knees.", "Move slowly."]),
    "program": ({"summary": "Two exercises for your knee.", "exercise": "bird-dog"}, []),
    "topic": ({"summary": "Your knee bends and straightens.", "name": "Straightening your knee",
               "description": "The muscles on the front of your thigh straighten your knee."}, []),
}


def new(run, kind: str):
    title = NEW[kind][0]
    return run("new", kind, *title.split())


def fill(path: Path, values: dict[str, str], items: list[str]) -> None:
    text = path.read_text(encoding="utf-8")
    for field, value in values.items():
        text, count = re.subn(rf"^([ -]*){field}:[ ]*$", lambda match: f"{match[1]}{field}: {value}", text,
                              count=1, flags=re.M)
        assert count == 1, field
    for value in items:
        text, count = re.subn(r"^( *)-[ ]*$", lambda match: f"{match[1]}- {value}", text, count=1, flags=re.M)
        assert count == 1, value
    path.write_text(text, encoding="utf-8")


# -- new ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(NEW))
def test_new_writes_every_field_each_under_its_explanation(site, run, kind):
    result = new(run, kind)
    path = NEW[kind][1]
    assert (result.status, result.err) == (0, "")
    assert result.out == f"Wrote {path}. Fill in its fields; the build tells you what is still missing.\n"
    lines = site.read(path).splitlines()
    fields, noted = FIELDS[kind]
    for field in fields:
        assert any(re.match(rf"[ -]*{field}:", line) for line in lines), field
    for field in noted:
        assert any(re.match(rf"[ ]*#[ -]*{field}:", line) for line in lines), field
    # Above each field (and the fields written with it, such as street, city and region), a note says what it is.
    field_line = re.compile(r"[ -]*[a-z_]+:")
    for number, line in enumerate(lines):
        if field_line.match(line) and number > 0:
            above = number - 1
            while above > 0 and field_line.match(lines[above]):
                above -= 1
            assert lines[above].lstrip().startswith(("#", "---")), line


@pytest.mark.parametrize("kind", sorted(NEW))
def test_a_new_file_builds_with_only_what_to_fill_in_then_builds_once_filled(site, run, kind):
    assert new(run, kind).status == 0
    path = NEW[kind][1]
    built = run()
    assert built.status == 1
    errors = [line for line in built.errors if line]
    assert errors and all(line.startswith(f"{path}:") for line in errors), errors  # no other file is blamed
    for line in errors:  # path:line: field: what is missing
        assert re.fullmatch(rf"{re.escape(path)}:[0-9]+: [a-z_. 0-9-]+: (missing; expected .*|fill in .*)", line), line

    fill(site.root / path, *FILLED[kind])
    built = run()
    assert built.status == 0, built.err
    assert (site.root / NEW[kind][2]).is_file()


def test_a_new_clinic_lists_the_services_of_site_yaml(site, run):
    assert new(run, "clinic").status == 0
    assert ("# This site's services:\n#   back pain\n#   neck pain\n#   sports injury\n#   pelvic health\n"
            "#   post-surgery rehab\n#   balance and falls\nservices:\n  -\n") in site.read(NEW["clinic"][1])


def test_a_new_program_lists_the_exercise_files(site, run):
    assert new(run, "program").status == 0
    assert ("# This site's exercises:\n#   ankle-dorsiflexion-mobilization, bird-dog, kettlebell-deadlift, "
            "pallof-press,\n#   single-arm-farmers-carry\nexercises:\n  - exercise:\n") in site.read(NEW["program"][1])


def test_a_new_topic_names_itself_where_exercises_join_its_groups(site, run):
    assert new(run, "topic").status == 0
    assert '"  how-your-knee-works: strength"' in site.read(NEW["topic"][1])


@pytest.mark.parametrize("kind", sorted(NEW))
def test_new_never_overwrites(site, run, kind):
    path = site.write(NEW[kind][1], "kept as it is\n")
    result = new(run, kind)
    assert result.status == 1
    assert result.err == f"site-gen: {NEW[kind][1]} already exists; it was left as it is\n"
    assert path.read_text() == "kept as it is\n"


def test_a_topic_cannot_take_the_address_of_one_of_the_sites_own_pages(site, run):
    result = run("new", "topic", "Exercises")
    assert result.status == 1
    assert result.err == ('site-gen: a topic cannot be called "exercises": its address is the list of exercises; '
                          "choose another title\n")
    assert not (site.content / "exercises.md").exists()


def test_new_outside_a_project_says_so_and_makes_no_folder(tmp_path, monkeypatch, run):
    monkeypatch.chdir(tmp_path)
    for kind in sorted(NEW):
        result = new(run, kind)
        assert result.status == 1
        assert result.err == ("site-gen: there is no content folder content/ here; run this in your project's folder, "
                              "or name the content folder with --content\n")
    assert list(tmp_path.iterdir()) == []


def test_new_writes_into_the_content_folder_given_before_or_after_the_command(site, run):
    (site.root / "content").rename(site.root / "words")
    assert run("--content", "words", "new", "topic", "Balance").status == 0
    assert run("new", "clinic", "Apex", "--content", "words").status == 0
    assert (site.root / "words" / "balance.md").is_file() and (site.root / "words" / "clinics" / "apex.yaml").is_file()


# -- help ---------------------------------------------------------------------------------------

def help_text(capsys, monkeypatch, argv0: str, *args: str) -> str:
    """What `<argv0> ARGS --help` prints, run as that program."""
    monkeypatch.setattr(sys, "argv", [argv0, *args, "--help"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_help_names_the_program_as_it_was_called(capsys, monkeypatch):
    assert help_text(capsys, monkeypatch, "build.py").startswith("usage: build.py ")
    assert help_text(capsys, monkeypatch, "/project/.venv/bin/site-gen").startswith("usage: site-gen ")
    assert help_text(capsys, monkeypatch, "build.py", "new").startswith("usage: build.py new ")


def test_build_py_help_calls_itself_build_py(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: build.py ") and "site-gen" not in result.stdout


def test_help_describes_each_command_in_one_line(capsys, monkeypatch):
    text = help_text(capsys, monkeypatch, "build.py")
    for command in ("build", "check", "serve", "new"):
        assert re.search(rf"^ {{4}}{command} +[a-z].+$", text, re.M), command


@pytest.mark.parametrize("command, offered, not_offered", [
    ("build", ["--content", "--templates", "--output", "--base-url", "--strict", "--today", "--quiet",
               "list every file written"], ["--host", "--port"]),
    ("check", ["--content", "--templates", "--output", "--strict", "--today", "--quiet", "report.html"],
     ["list every file written", "--host", "--port"]),
    ("serve", ["--content", "--templates", "--host", "--port", "--strict"], ["list every file written"]),
    ("new", ["--content", "clinic, exercise, program, topic"],
     ["--strict", "--templates", "--output", "--base-url", "--today", "--host", "--port", "list every file written"]),
])
def test_each_commands_help_offers_only_its_own_options(capsys, monkeypatch, command, offered, not_offered):
    text = help_text(capsys, monkeypatch, "build.py", command)
    assert text.startswith(f"usage: build.py {command} ")
    for option in offered:
        assert option in text, option
    for option in not_offered:
        assert option not in text, option


def test_an_option_of_another_command_is_refused_before_or_after_the_command(site, capsys):
    for args in (["--strict", "new", "topic", "Balance"], ["new", "topic", "Balance", "--strict"]):
        with pytest.raises(SystemExit) as exited:
            main(args)
        assert exited.value.code == 2
        assert not (site.content / "balance.md").exists()
    errors = capsys.readouterr().err.splitlines()
    assert errors.count("site-gen: error: --strict does not apply to new; see site-gen new --help") == 2


# -- a busy port --------------------------------------------------------------------------------

def test_a_busy_port_is_said_in_one_line_with_a_free_one_to_use(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port)], cwd=site.root,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    match = re.fullmatch(rf"build.py: port {port} is in use, perhaps by another server still running; use another: "
                         r"build.py serve --port ([0-9]+)\n", result.stderr)
    assert match, result.stderr
    with socket.socket() as suggested:  # the port suggested is free
        suggested.bind(("127.0.0.1", int(match[1])))
    assert not site.output.exists()  # said before building anything


def test_a_port_that_is_no_port_number_is_refused(site, run, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", "70000"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.endswith('site-gen serve: error: argument --port: expected a port number from 1 '
                                            'to 65535, such as 8001, got "70000"\n')


# -- progress -----------------------------------------------------------------------------------

class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_shows_after_a_while_overwrites_itself_and_clears():
    clock, stream = Clock(), Terminal()
    progress = Progress(stream, clock=clock)
    progress("Reading the content")
    progress("Rendering pages", 10, 1036)
    assert stream.getvalue() == ""  # a quick build shows nothing
    clock.now += report.PROGRESS_AFTER_SECONDS
    progress("Rendering pages", 640, 1036)
    progress("Rendering pages", 650, 1036)  # too soon after: not drawn
    clock.now += report.PROGRESS_EVERY_SECONDS * 1.5
    progress("Rendering pages", 700, 1036)
    progress("Checking pages")  # a new step is drawn at once, over the longer line
    progress.clear()
    progress.clear()  # once only
    assert stream.getvalue() == ("\rRendering pages: 640 of 1036\rRendering pages: 700 of 1036"
                                 "\rChecking pages..." + " " * 11 + "\r" + " " * 17 + "\r")


def test_progress_is_only_for_a_terminal():
    assert Progress.on_terminal(io.StringIO()) is None
    assert isinstance(Progress.on_terminal(Terminal()), Progress)


def fake_build(options, progress=lambda step, done=0, total=0: None):
    """A build that says how far it is, as the pipeline's does."""
    for done in (1, 2, 3):
        progress("Rendering pages", done, 3)
    return BuildResult({"index.html": b""}, [], [], 0.5)


@pytest.mark.parametrize("args, shown", [([], True), (["-q"], False)])
def test_the_command_line_shows_the_builds_progress_on_a_terminal(site, monkeypatch, capsys, args, shown):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(report, "PROGRESS_AFTER_SECONDS", 0)
    monkeypatch.setattr(report, "PROGRESS_EVERY_SECONDS", 60)  # counts between a step's start and end: none
    monkeypatch.setattr("site_gen.cli.build", fake_build)
    assert main(args) == 0
    if shown:
        assert terminal.getvalue() == "\rRendering pages: 1 of 3\rRendering pages: 3 of 3\r" + " " * 23 + "\r"
        assert capsys.readouterr().out.startswith("Built 1 pages")
    else:
        assert terminal.getvalue() == ""


def test_the_command_line_shows_no_progress_where_output_is_not_a_terminal(site, monkeypatch, capsys):
    monkeypatch.setattr(report, "PROGRESS_AFTER_SECONDS", 0)
    monkeypatch.setattr("site_gen.cli.build", fake_build)
    assert main([]) == 0
    assert capsys.readouterr().err == ""


# A build run with its progress shown from the start, as the command line runs it.
RUN_AT_ONCE = ("import sys; from site_gen.serve import report; report.PROGRESS_AFTER_SECONDS = 0; "
               "from site_gen.cli import main; sys.exit(main(sys.argv[1:], prog='build.py'))")


def on_a_terminal(cwd: Path, *args: str) -> tuple[int, str]:
    """Run the command line with its output on a pseudo-terminal; its exit status and all it wrote."""
    import pty

    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-c", RUN_AT_ONCE, *args], cwd=cwd, stdin=terminal, stdout=terminal,
                               stderr=terminal, env={**os.environ, "PYTHONPATH": str(ROOT)})
    os.close(terminal)
    written = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            data = os.read(controller, 65536)
        except OSError:  # the other end is closed: the command is done
            break
        if not data:
            break
        written += data
    os.close(controller)
    return process.wait(timeout=60), written.decode()


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_long_build_or_check_shows_its_progress_on_a_terminal_then_clears_it(site, command):
    status, written = on_a_terminal(site.root, command, "--today", "2026-11-22")
    assert status == 0
    # The terminal's first line: each step drawn over the one before, a blank drawn over the last, then
    # what the command prints.
    first = written.replace("\r\n", "\n").split("\n")[0].split("\r")
    assert first[0] == ""
    steps, blank, printed = [step.rstrip() for step in first[1:-2]], first[-2], first[-1]
    assert steps[0] == "Reading the content..." and "Checking pages..." in steps, steps
    rendering = [step for step in steps if step.startswith("Rendering pages: ")]
    assert rendering and re.fullmatch(r"Rendering pages: ([0-9]+) of \1", rendering[-1]), rendering
    assert steps[-1] == ("Writing the site..." if command == "build" else "Checking pages...")
    assert blank == " " * len(steps[-1])
    assert printed.startswith("Built " if command == "build" else "page ")


def test_progress_is_not_shown_with_q_or_when_output_is_not_a_terminal(site):
    status, written = on_a_terminal(site.root, "-q", "--today", "2026-11-22")
    assert (status, written) == (0, "")
    result = subprocess.run([sys.executable, "-c", RUN_AT_ONCE, "--today", "2026-11-22"], cwd=site.root,
                            capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0
    assert result.stderr == "" and result.stdout.startswith("Built ")
