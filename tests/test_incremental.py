"""Incremental builds are correct by construction: whatever the edits, a build that reuses the
cache (and the previous output) gives the same files, byte for byte, as a cold build."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from site_gen.build import cache, markup, pipeline, render
from site_gen.build.pipeline import BuildOptions, build, render_files
from site_gen.build.theme import DEFAULT_THEME
from site_gen.build.writer import MARKER
from site_gen.content.problems import BuildFailed

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 1)
WORDS = ("gently", "slowly", "twice", "again", "calmly")

EDITS = st.one_of(
    st.tuples(st.just("body"), st.integers(0, 9), st.sampled_from(WORDS)),
    st.tuples(st.just("front matter"), st.integers(0, 9), st.sampled_from(WORDS)),
    st.tuples(st.just("add"), st.integers(0, 9), st.integers(0, 999)),
    st.tuples(st.just("delete"), st.integers(0, 9), st.just("")),
    st.tuples(st.just("template"), st.sampled_from(("base.html", "exercise.html", "partials/handout.html",
                                                    "assets/site.css")), st.integers(0, 999)),
    st.tuples(st.just("home"), st.just(0), st.sampled_from(WORDS)),
)


def _apply(root: Path, edit: tuple) -> None:
    kind, pick, value = edit
    exercises = sorted((root / "content" / "exercises").glob("*.md"))
    if kind in ("body", "front matter", "add", "delete"):
        if not exercises:
            return
        path = exercises[pick % len(exercises)]
    if kind == "body":
        path.write_text(path.read_text() + f"\nMove {value} and breathe out.\n")
    elif kind == "front matter":
        text = re.sub(r"^summary: (.*)$", lambda m: f"summary: {m.group(1).strip(chr(34))} Go {value}.",
                      path.read_text(), count=1, flags=re.M)
        path.write_text(text)
    elif kind == "add":
        (path.parent / f"copy-{value}.md").write_text(
            re.sub(r"^title: (.*)$", f"title: Copy {value}", path.read_text(), count=1, flags=re.M))
    elif kind == "delete":
        path.unlink()  # may break a program that lists it: then both builds must fail alike
    elif kind == "template":  # the project's own copy of a theme file, over the default theme's
        template = root / "templates" / pick
        if not template.exists():
            template.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(DEFAULT_THEME / pick, template)
        added = f".edit-{value}{{color:#000}}\n" if pick.endswith(".css") else f"<!-- edit {value} -->\n"
        template.write_text(template.read_text() + added)
    elif kind == "home":
        home = root / "content" / "index.md"
        home.write_text(home.read_text() + f"\nWe will help you {value}.\n")


def _incremental(root: Path):
    """`build.py` as staff run it again and again: cache and previous output reused."""
    options = BuildOptions(content=root / "content", templates=root / "templates", output=root / "output",
                           today=TODAY)
    try:
        result = build(options)
    except BuildFailed as failed:
        return "failed", sorted(map(str, failed.problems))
    output = root / "output"
    files = {path.relative_to(output).as_posix(): path.read_bytes()
             for path in output.rglob("*") if path.is_file() and path.name != MARKER}
    return files, sorted(map(str, result.warnings)), result.reports


def _cold(root: Path):
    """The same sources built from nothing: no cache, nothing written, all in this process."""
    options = BuildOptions(content=root / "content", templates=root / "templates", output=root / "cold",
                           today=TODAY, use_cache=False)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(render, "PARALLEL_MIN_ROUTES", 10 ** 9)
            patch.setattr(pipeline, "PARALLEL_MIN_BODIES", 10 ** 9)
            files, warnings, reports = render_files(options)
    except BuildFailed as failed:
        return "failed", sorted(map(str, failed.problems))
    return files, sorted(map(str, warnings)), reports


def _assert_same(root: Path, step: str) -> None:
    incremental, cold = _incremental(root), _cold(root)
    assert incremental[0] == "failed" or cold[0] != "failed", f"after {step}: only the incremental build built"
    if cold[0] == "failed" or incremental[0] == "failed":
        assert incremental == cold, f"after {step}: the builds failed differently"
        return
    files, cold_files = incremental[0], cold[0]
    assert sorted(files) == sorted(cold_files), f"after {step}: different files"
    stale = [path for path in files if files[path] != cold_files[path]]
    assert not stale, f"after {step}: stale files {stale[:5]}"
    assert incremental[1:] == cold[1:], f"after {step}: different warnings or page reports"


# No shrinking: each step builds the site twice, so shrinking could take minutes; a failure still
# prints the whole sequence of edits that caused it.
@pytest.mark.slow
@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDITS, min_size=1, max_size=4), parallel=st.booleans())
def test_incremental_builds_equal_a_cold_build(edits, parallel, monkeypatch, chdir_tmp):
    # Workers convert and render only on large sites; here they are forced for half the examples
    # (and, as they convert bodies, this process prepares the rest of the site).
    monkeypatch.setattr(render, "PARALLEL_MIN_ROUTES", 1 if parallel else 10 ** 9)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BODIES", 1 if parallel else 10 ** 9)
    with tempfile.TemporaryDirectory(dir=chdir_tmp) as folder:
        root = Path(folder)
        shutil.copytree(ROOT / "content", root / "content")
        shutil.copytree(ROOT / "templates", root / "templates")
        _assert_same(root, "the first build")
        for number, edit in enumerate(edits, 1):
            _apply(root, edit)
            _assert_same(root, f"edit {number}, {edit}")


@pytest.fixture
def chdir_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _damage_truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _damage_stamp(path: Path) -> None:  # as if made by another version of the tool
    data = path.read_bytes()
    path.write_bytes(bytes([data[0] ^ 1]) + data[1:])


def _damage_garbage(path: Path) -> None:
    path.write_bytes(b"\x00" * 64)


@pytest.mark.parametrize("damage", [_damage_truncate, _damage_stamp, _damage_garbage])
def test_a_damaged_or_outdated_cache_still_gives_the_right_site(site, damage):
    body = "exercises/bird-dog.md"
    assert _incremental(site.root)[0] != "failed"
    cache_files = sorted(path for path in (site.root / ".cache").rglob("*") if path.is_file())
    for kind in ("markdown-", "content-", "pages-"):  # each in files by the first digit of the key
        assert any(path.name.startswith(kind) for path in cache_files)
    for path in cache_files:
        damage(path)
    site.edit(f"content/{body}", "You need no equipment", "You need no equipment at all")
    _assert_same(site.root, f"damage by {damage.__name__}")
    assert b"You need no equipment at all" in (site.output / "exercises/bird-dog/index.html").read_bytes()


def test_a_rebuild_renders_again_only_the_pages_an_edit_touches(site, monkeypatch):
    rendered: list[str] = []
    original = render.PageRenderer.render

    def spy(renderer, indices):
        rendered.extend(renderer.site.routes[index].output_path for index in indices)
        return original(renderer, indices)

    monkeypatch.setattr(render.PageRenderer, "render", spy)
    monkeypatch.setattr(render, "PARALLEL_MIN_ROUTES", 10 ** 9)  # the spy sees every page in this process
    assert _incremental(site.root)[0] != "failed"
    assert len(rendered) > 20
    rendered.clear()
    assert _incremental(site.root)[0] != "failed"  # a new process would read the same .cache/ files
    assert rendered == []
    site.edit("content/exercises/bird-dog.md", "You need no equipment", "You need no equipment at all")
    assert _incremental(site.root)[0] != "failed"
    assert rendered == ["exercises/bird-dog/index.html"]  # its text shows on its own page only


@pytest.mark.slow
def test_an_update_of_the_tool_never_serves_a_stale_page(site, tmp_path):
    """The Markdown step changed in a copy of the package: the next build's pages show the change."""
    import subprocess
    import sys

    package = tmp_path / "tool"
    shutil.copytree(ROOT / "site_gen", package / "site_gen", ignore=shutil.ignore_patterns("__pycache__"))
    command = [sys.executable, "-c", "import sys; from site_gen.cli import main; sys.exit(main(['-q']))"]
    environment = {"PYTHONPATH": str(package), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(command, cwd=site.root, env=environment, check=True)
    page = site.output / "exercises" / "bird-dog" / "index.html"
    assert "<!-- upgraded -->" not in page.read_text()
    with (package / "site_gen" / "build" / "markup.py").open("a") as markup_file:
        markup_file.write("\n\n_before_upgrade = render_markdown\n\n\ndef render_markdown(bodies, fast=True):\n"
                          "    return [dataclasses.replace(body, html=body.html + '<!-- upgraded -->')\n"
                          "            for body in _before_upgrade(bodies, fast)]\n\n\nimport dataclasses  # noqa\n")
    subprocess.run(command, cwd=site.root, env=environment, check=True)
    assert "<!-- upgraded -->" in page.read_text()


def test_one_markdown_instance_renders_each_body_as_a_fresh_one_would():
    bodies = [(path.read_text().split("\n---\n", 1)[1], f"exercises/{path.name}", 9)
              for path in sorted((ROOT / "content" / "exercises").glob("*.md"))]
    # A link reference defined in one body and used in the next: a body must not see what the one
    # before it left (without the reset, the second body gets a link). The same heading in both keeps its id.
    bodies += [("## Steps\n\nDon't stop -- it's [fine](../spine-planes.md#flexion)...\n\n[guide]: https://example.org/\n",
                "exercises/x.md", 3),
               ("## Steps\n\nSee the [guide].\n", "exercises/y.md", 3)]
    assert markup.render_markdown(bodies) == [markup.render_markdown([body])[0] for body in bodies]
    assert markup.render_markdown(bodies)[-1].headings[0].anchor == "steps"


def _with_every_extension(text: str) -> str:
    """The HTML of Python-Markdown with all of the site's extensions, smarty included, every time."""
    md = markdown.Markdown(extensions=list(markup.EXTENSIONS), output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md.convert(text)


# Markdown's own syntax (blocks in quotes and lists, tables, references, code, setext headings, rules),
# toc's marker and the characters smarty educates, without links and HTML (the site's link handling
# is another test's matter).
MARKDOWN_TEXT = st.lists(st.sampled_from(list("ab x\n#*_-.'\"`1)|>=+\t\r") + [
    "--", "...", "\n\n", "- ", "1. ", "[TOC]", "    ", "\n> ", "\n---\n", "\n===", "| a |", "\n[r]: http://a.b\n", "\x02"]),
                         max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWN_TEXT)
@example("> a\n> ===\n\n> b\n>     c\n")  # a heading and code inside a quote, whose lines start with >
def test_bodies_get_the_html_of_python_markdown_with_every_extension(text):
    assert markup.render_markdown([(text, "exercises/x.md", 1)])[0].html == _with_every_extension(text)


def test_a_sheet_too_long_to_print_is_warned_of_by_every_build(site, run):
    steps = "".join(f'  - "Move your arm and the opposite leg out and back again, slowly and with control, step {n}."\n'
                    for n in range(40))
    site.write("content/exercises/bird-dog.md",
               re.sub(r"steps:\n(  - .*\n)+", "steps:\n" + steps, site.read("content/exercises/bird-dog.md")))
    warning = '"Bird Dog" may not print on one page'
    assert warning in run("-q").err
    assert warning in run("-q").err  # the sheets' estimates come from the cache now
    site.edit("content/exercises/bird-dog.md", "You need no equipment", "You need no equipment at all")
    assert warning in run("-q").err


def test_the_cache_is_stamped_with_the_installed_versions_as_python_reports_them():
    from importlib.metadata import version

    assert cache._versions() == ";".join(f"{package}={version(package)}" for package in cache._LIBRARIES)


def test_work_is_handed_out_in_shrinking_pieces_that_cover_it_in_order():
    from site_gen.build.workers import SMALLEST_PIECE, chunks

    items = list(range(10_036))
    pieces = chunks(items, 2)
    assert [item for piece in pieces for item in piece] == items
    sizes = [len(piece) for piece in pieces]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == len(items) // 4 and sizes[-2] == SMALLEST_PIECE  # a quarter of all, at last the least
    assert chunks([], 2) == [] and chunks([1], 2) == [[1]]


def _squares(piece: list[int]) -> list[int]:
    if 13 in piece:
        raise ValueError("unlucky")
    return [number * number for number in piece]


@pytest.mark.parametrize("here_too", [False, True])
def test_work_in_workers_comes_back_in_order_and_leaves_no_file(tmp_path, monkeypatch, here_too):
    from site_gen.build.workers import in_workers

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the results are handed back
    numbers = [number for number in range(1_000) if number != 13]
    with in_workers(_squares, numbers, 2, here_too) as results:
        pieces = results()  # with here_too, this process takes pieces too, from now on
    assert len(pieces) > 2 and [square for piece in pieces for square in piece] == [n * n for n in numbers]
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="unlucky"), in_workers(_squares, list(range(100)), 2, here_too) as results:
        results()
    assert list(tmp_path.iterdir()) == []


def test_every_build_writes_the_cache_even_one_that_fails(site):
    cache_folder = site.root / ".cache"
    site.edit("content/exercises/bird-dog.md", "You need no equipment", "You need no [equipment](nowhere.md)")
    assert _incremental(site.root)[0] == "failed"
    assert list(cache_folder.glob("markdown-*.pickle"))  # pure results are kept though the build failed
    shutil.rmtree(cache_folder)
    site.edit("content/exercises/bird-dog.md", "[equipment](nowhere.md)", "equipment")
    assert _incremental(site.root)[0] != "failed"  # the cache is written as the site is
    assert list(cache_folder.glob("markdown-*.pickle")) and list(cache_folder.glob("pages-*.pickle"))
