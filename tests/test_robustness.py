"""Bad input cannot break a build, leak markup into a page, or damage the last good site."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pages import html_pages

ROOT = Path(__file__).resolve().parent.parent

PAYLOADS = [
    '<script>alert("a")</script>',
    "</script><script>alert('b')</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(2)",
    "<!-- --> ]]> {{ config.title }} {% raw %}",
    "line\u2028separator\u2029and zero\u200bwidth",
]


def yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON strings are YAML double-quoted strings


class Elements(HTMLParser):
    """Every element and attribute of a page, and the text of its script blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict | None = None
        self._text: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._script, self._text = dict(attrs), []

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def handle_data(self, data):
        (self._text if self._script is not None else self.text).append(data)


def parse(path: Path) -> Elements:
    elements = Elements()
    elements.feed(path.read_text(encoding="utf-8"))
    elements.close()
    return elements


def assert_inert(path: Path, output: Path) -> Elements:
    """No element or attribute a payload could have added, and every data block still parses."""
    page = parse(path)
    for tag, attributes in page.elements:
        assert not any(name.startswith("on") for name in attributes), f"{path}: {tag} {attributes}"
        assert "style" not in attributes, f"{path}: inline style on {tag}"
        assert tag != "style", f"{path}: a <style> element"
        if tag == "img":
            assert attributes.get("src") != "x", f"{path}: injected image"
        for name in ("href", "src", "action"):
            value = (attributes.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), f"{path}: {tag} {name}={value}"
    for attributes, text in page.scripts:
        kind = attributes.get("type")
        if kind in ("application/ld+json", "application/json"):
            json.loads(text)
            assert "</" not in text.lower(), f"{path}: a data block could close its tag"
        else:
            assert attributes.get("src") and not text.strip(), f"{path}: inline script {text[:60]!r}"
            src = attributes["src"]  # the 404 page's links start from the site's root
            target = (output / src.lstrip("/") if src.startswith("/") else path.parent / src).resolve()
            assert output.resolve() in target.parents and target.is_file(), f"{path}: script {attributes['src']}"
    return page


def test_shipped_site_has_no_inline_scripts_styles_or_handlers(built_site):
    for path in html_pages(built_site):
        assert_inert(path, built_site)
        head = path.read_text().split("<head>", 1)[1]
        assert head.index('http-equiv="Content-Security-Policy"') < head.index("<script"), path


def test_injected_markup_stays_inert_text_everywhere(site, run):
    fields = {name: PAYLOADS[index % len(PAYLOADS)] for index, name in enumerate(
        ["title", "summary", "muscle", "equipment", "step", "safety", "text", "name", "credentials", "affiliation",
         "distance", "clinic", "street", "city", "reason", "language", "program", "note", "action", "topic",
         "group", "technical", "description"])}
    site.write("content/injected-topic.md", f"""---
title: {yaml_text(fields['topic'])}
summary: {yaml_text(PAYLOADS[1])}
menu: {yaml_text(PAYLOADS[3])}
coverage: true
groups:
  one:
    name: {yaml_text(fields['group'])}
    technical: {yaml_text(fields['technical'])}
    description: {yaml_text(fields['description'])}
---
<script>alert("topic")</script>
""")
    site.write("content/exercises/injected.md", f"""---
title: {yaml_text(fields['title'])}
topics:
  spine-planes: rotation
  injected-topic: one
summary: {yaml_text(fields['summary'])}
muscles: [{yaml_text(fields['muscle'])}]
equipment: [{yaml_text(fields['equipment'])}]
dosage:
  reps: 3
  action: {yaml_text(fields['action'])}
  distance: {yaml_text(fields['distance'])}
  frequency: daily
steps: [{yaml_text(fields['step'])}, "Then you rest."]
safety: [{yaml_text(fields['safety'])}]
quote:
  text: {yaml_text(fields['text'])}
  name: {yaml_text(fields['name'])}
  credentials: {yaml_text(fields['credentials'])}
  affiliation: {yaml_text(fields['affiliation'])}
---
<script>alert("body")</script> and <img src=x onerror=alert(3)> and [a link](../index.md "{PAYLOADS[2]}").
""")
    cary = site.read("content/clinics/cary.yaml")
    cary = cary.replace("name: Example Physical Therapy – Cary", f"name: {yaml_text(fields['clinic'])}")
    cary = cary.replace("street: 200 Sample Street", f"street: {yaml_text(fields['street'])}")
    cary = cary.replace("languages: [English, Spanish, Hindi]", f"languages: [{yaml_text(fields['language'])}]")
    cary += f"closures:\n  - from: 2026-12-24\n    to: 2026-12-25\n    reason: {yaml_text(fields['reason'])}\n"
    site.write("content/clinics/cary.yaml", cary)
    site.write("content/programs/injected.yaml", f"""title: {yaml_text(fields['program'])}
summary: {yaml_text(PAYLOADS[0])}
exercises:
  - exercise: injected
    note: {yaml_text(fields['note'])}
""")
    result = run("--today", "2026-12-01")  # a day its closure (December 24-25) is still to come
    assert result.status == 0, result.err
    for path in html_pages(site.output):
        assert_inert(path, site.output)
    page = parse(site.output / "exercises" / "injected" / "index.html")
    text = "".join(page.text)
    for payload in (fields["title"], fields["step"], fields["text"], fields["group"], fields["distance"]):
        assert payload in text  # shown as the characters typed
    assert fields["technical"] in "".join(parse(site.output / "injected-topic" / "index.html").text)
    [structured] = [json.loads(body) for attributes, body in page.scripts if attributes.get("type") ==
                    "application/ld+json"]
    assert structured["mainEntity"]["name"] == fields["title"]
    locator = parse(site.output / "clinics" / "us" / "nc" / "index.html")  # the page of Cary's state
    [data] = [json.loads(body) for attributes, body in locator.scripts if attributes.get("id") == "locator-data"]
    [cary_data] = [clinic for clinic in data["clinics"] if clinic["id"] == "cary"]
    assert cary_data["closures"][0][2] == fields["reason"]
    assert "<script>alert(" in text and "<img src=x onerror=alert(3)>" in text  # the body's HTML, as text


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.mark.slow
def test_a_killed_build_leaves_the_old_site_or_the_new_never_a_mix(site, run, tmp_path):
    title = "title: Back Care Library"
    assert run("-q").status == 0
    old = snapshot(site.output)
    site.edit("content/site.yaml", title, title + " Two")  # changes every page
    assert run("-q", "--output", str(tmp_path / "new")).status == 0
    new = snapshot(tmp_path / "new")
    assert old.keys() == new.keys() and old != new
    command = [sys.executable, str(ROOT / "build.py"), "-q"]
    started = time.perf_counter()
    subprocess.run(command, cwd=site.root, check=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    duration = time.perf_counter() - started
    outcomes = set()
    for fraction in (0.3, 0.5, 0.65, 0.75, 0.82, 0.88, 0.92, 0.95, 0.97, 0.99, 1.02, 1.1):
        site.edit("content/site.yaml", title + " Two", title)
        assert run("-q").status == 0 and snapshot(site.output) == old
        site.edit("content/site.yaml", title, title + " Two")
        process = subprocess.Popen(command, cwd=site.root)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = snapshot(site.output)
        assert now in (old, new), f"killed at {fraction:.2f} of a build: a mix of old and new pages"
        outcomes.add("new" if now == new else "old")
    assert run("-q").status == 0 and snapshot(site.output) == new
    assert [p.name for p in site.root.iterdir() if ".staging-" in p.name] == []  # leftovers cleaned up
    assert outcomes  # each kill left a whole site; which one depends on the moment


def test_a_rebuild_that_changes_nothing_touches_nothing_but_removes_a_stray_file(site, run):
    assert run("-q").status == 0
    folder = site.output.stat()
    assert run("-q").status == 0
    # Not swapped for a copy: the same folder, and no spare site made beside it.
    assert os.path.samestat(site.output.stat(), folder) and not (site.root / ".output.previous").exists()
    (site.output / "stray.html").write_text("not the site's")
    assert run("-q").status == 0
    assert not (site.output / "stray.html").exists() and (site.root / ".output.previous").is_dir()


def test_rebuilds_write_only_what_changed_and_a_damaged_spare_folder_is_repaired(site, run, tmp_path):
    """The site before the last build is kept (.output.previous) and updated in place by the next."""
    def stats(folder: Path) -> dict[str, tuple[int, int]]:
        return {path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
                for path in folder.rglob("*") if path.is_file()}

    spare = site.root / ".output.previous"
    assert run("-q").status == 0 and run("-q").status == 0
    first = stats(site.output)
    body = site.read("content/exercises/bird-dog.md")
    site.write("content/exercises/bird-dog.md", body + "\nMove slowly.\n")
    bird = "exercises/bird-dog/index.html"
    assert run("-q").status == 0
    second = stats(site.output)
    assert {rel for rel in first if second.get(rel) != first[rel]} == {bird}
    assert (spare / ".site-gen").is_file() and spare.is_dir()
    # Damage the spare: stray files, a file where a folder goes, a folder where a file goes, and a
    # link out of it that must be removed, never followed.
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the tool's")
    (spare / "stray.html").write_text("stray")
    shutil.rmtree(spare / "exercises" / "pallof-press")
    (spare / "exercises" / "pallof-press").write_text("a file, not a folder")
    (spare / "robots.txt").unlink()
    (spare / "robots.txt").mkdir()
    (spare / "robots.txt" / "x").write_text("x")
    (spare / "clinics").rename(spare / "moved")
    (spare / "clinics").symlink_to(outside, target_is_directory=True)
    site.write("content/exercises/bird-dog.md", body)
    assert run("-q").status == 0
    assert (outside / "keep.txt").read_text() == "not the tool's" and len(list(outside.iterdir())) == 1
    assert run("-q", "--output", str(tmp_path / "cold")).status == 0
    assert snapshot(site.output) == snapshot(tmp_path / "cold")
    third = stats(site.output)
    assert third["exercises/pallof-press/index.html"] == second["exercises/pallof-press/index.html"]
    assert third[bird] != second[bird]
    assert not (site.output / "stray.html").exists()
