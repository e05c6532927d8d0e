"""Valid HTML on every page: the Nu Html Checker (vnu) finds no error, no id is used twice, and every
page has a description for search results and shared links."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

import pytest
from conftest import skip_or_fail
from pages import html_pages, read_page
from test_robustness import PAYLOADS, yaml_text

from site_gen.cli import main

ROOT = Path(__file__).resolve().parent.parent
KNEE = Path(__file__).resolve().parent / "sites" / "knee-and-balance"
VNU_VERSION = "26.9.27"  # the npm package vnu-jar, as .ci/run installs it
VNU_JAR = Path("/opt/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
INSTALL_VNU = (f"npm install --ignore-scripts --prefix /opt/vnu vnu-jar@{VNU_VERSION}, "
               "or set VNU_JAR to a vnu.jar")


@pytest.fixture(scope="session")
def vnu() -> Callable[[Path], list[str]]:
    """The Nu Html Checker: given a built site, its errors as `file:line: message` lines.

    Skips without Java or the jar, saying how to install them; fails instead under REQUIRE_BROWSER=1
    (as .ci/run sets), like the browser fixture."""
    java = shutil.which("java")
    jar = Path(os.environ.get("VNU_JAR") or VNU_JAR)
    reason = None
    if java is None:
        reason = "no java found (Debian: apt-get install default-jre-headless)"
    elif not jar.is_file():
        reason = f"no Nu Html Checker at {jar} ({INSTALL_VNU})"
    if reason:
        skip_or_fail(reason)

    def errors(output: Path) -> list[str]:
        pages = html_pages(output)
        assert pages, f"no HTML page in {output}"
        # One run for every page of the site: Java takes seconds to start.
        ran = subprocess.run([java, "-jar", str(jar), "--format", "json", "--errors-only", "--exit-zero-always",
                              "--stdout", *map(str, pages)], capture_output=True, text=True, timeout=600)
        assert ran.returncode == 0 and ran.stdout.strip(), f"the Nu Html Checker did not run: {ran.stderr}"
        messages = json.loads(ran.stdout)["messages"]
        return [f"{_relative(message.get('url', ''), output)}:{message.get('lastLine', '?')}: {message['message']}"
                for message in messages if message["type"] != "info"]

    return errors


def _relative(url: str, output: Path) -> str:
    path = url.removeprefix("file:")
    return os.path.relpath(path, output) if path.startswith("/") else url


def build(project: Path, *extra: str) -> Path:
    """A content folder built as a user would, with the default theme; its output folder."""
    status = main(["--content", str(project / "content"), "--templates", str(ROOT / "templates"),
                   "--output", str(project / "output"), "-q", *extra])
    assert status == 0
    return project / "output"


@pytest.fixture(scope="module")
def knee_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The knee-and-balance fixture site, built (tests/test_regions.py builds it the same way)."""
    project = tmp_path_factory.mktemp("knee")
    shutil.copytree(KNEE / "content", project / "content")
    return build(project, "--today", "2026-12-01", "--strict")


def odd_site(project: Path) -> Path:
    """The shipped content with text a clinic might type, or an attacker: markup, quotes, ampersands,
    character references HTML forbids (`&#0;`), emoji, invisible characters and right-to-left words
    in every kind of field; tables, typed HTML and odd links in bodies; a clinic with no hours.
    Built; its output folder."""
    shutil.copytree(ROOT / "content", project / "content")
    content = project / "content"
    odd = ["Ünïcödé “quotes” & ‘more’ 🦵 — ½", "ركبة قوية", "a" * 80,
           "<b>bold</b> &amp; &nbsp; &#0; &#128; &#x110000; &#99999999999; \\x00", *PAYLOADS]

    def odd_text(index: int) -> str:
        return yaml_text(odd[index % len(odd)])

    (content / "odd-topic.md").write_text(f"""---
title: {odd_text(0)}
summary: {odd_text(4)}
menu: {odd_text(5)}
coverage: true
groups:
  one:
    name: {odd_text(6)}
    technical: {odd_text(7)}
    description: {odd_text(8)}
  two:
    name: {odd_text(1)}
    description: {odd_text(3)}
    supporting: true
---
Words & more <div>typed HTML</div>, a line  
break, `code <b>`, <https://example.com/?a=1&b=2>, <front@example.com> and
[the clinics](/clinics/ "a \\"title\\" & more").

## {odd[0]}

| {odd[3]} | <td> |
|---|:--:|
| {odd[4]} | {odd[1]} |

### A list

1. one
2. two

* * *

> A quote with "quotes" -- and... {odd[9]}

![A figure & "friends"](images/spine-planes.svg "its title")
""", encoding="utf-8")
    (content / "exercises" / "odd-exercise.md").write_text(f"""---
title: {odd_text(3)}
topics:
  odd-topic: one
  spine-planes: rotation
summary: {odd_text(0)}
muscles: [{odd_text(1)}, {odd_text(5)}]
equipment: [{odd_text(6)}]
dosage:
  reps: 3
  action: {odd_text(7)}
  distance: {odd_text(8)}
  frequency: daily
steps: [{odd_text(4)}, "Then you rest & breathe."]
safety: [{odd_text(9)}]
quote:
  text: {odd_text(4)}
  name: {odd_text(5)}
  credentials: {odd_text(6)}
  affiliation: {odd_text(2)}
---
Why it helps, with {odd[3]} and [a link to the topic](../odd-topic.md#a-list).

## Tips & “tricks”

- {odd[5]}
""", encoding="utf-8")
    cary = (content / "clinics" / "cary.yaml").read_text(encoding="utf-8")
    cary = cary.replace("name: Example Physical Therapy – Cary", f"name: {odd_text(4)}")
    cary = cary.replace("street: 200 Sample Street", f"street: {odd_text(0)}")
    cary = cary.replace("languages: [English, Spanish, Hindi]", f"languages: [{odd_text(1)}, {odd_text(5)}]")
    cary += f"closures:\n  - from: 2026-12-24\n    to: 2026-12-25\n    reason: {odd_text(6)}\n"
    (content / "clinics" / "cary.yaml").write_text(cary, encoding="utf-8")
    durham = (content / "clinics" / "durham.yaml").read_text(encoding="utf-8")
    hours = durham[durham.index("hours:"):durham.index("services:")]
    (content / "clinics" / "durham.yaml").write_text(durham.replace(hours, ""), encoding="utf-8")
    (content / "programs" / "odd-program.yaml").write_text(f"""title: {odd_text(2)}
summary: {odd_text(4)}
exercises:
  - exercise: odd-exercise
    note: {odd_text(0)}
  - exercise: bird-dog
    note: {odd_text(5)}
""", encoding="utf-8")
    return build(project)


@pytest.mark.browser
def test_every_page_of_the_shipped_site_is_valid_html(vnu, built_site):
    errors = vnu(built_site)
    assert not errors, f"{len(errors)} errors from the Nu Html Checker:\n" + "\n".join(errors)


@pytest.mark.browser
def test_every_page_of_another_body_region_is_valid_html(vnu, knee_site):
    errors = vnu(knee_site)
    assert not errors, f"{len(errors)} errors from the Nu Html Checker:\n" + "\n".join(errors)


@pytest.mark.browser
def test_odd_and_hostile_text_still_makes_valid_html(vnu, tmp_path):
    output = odd_site(tmp_path)
    assert "odd-topic/index.html" in {path.relative_to(output).as_posix() for path in html_pages(output)}
    errors = vnu(output)
    assert not errors, f"{len(errors)} errors from the Nu Html Checker:\n" + "\n".join(errors)


class _IdsAndDescriptions(HTMLParser):
    """Every id on a page, as often as it comes, and the content of each meta description."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.descriptions: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id") is not None:
            self.ids[attributes["id"]] += 1
        if tag == "meta" and attributes.get("name") == "description":
            self.descriptions.append(attributes.get("content") or "")


def ids_and_descriptions(output: Path) -> list[str]:
    """What is wrong with each page of a built site: an id used twice, or not one description."""
    problems = []
    for path in html_pages(output):
        page = _IdsAndDescriptions()
        page.feed(path.read_text(encoding="utf-8"))
        page.close()
        where = path.relative_to(output).as_posix()
        problems += [f"{where}: id {name!r} used {count} times" for name, count in page.ids.items() if count > 1]
        if len(page.descriptions) != 1 or not page.descriptions[0].strip():
            problems.append(f"{where}: meta descriptions {page.descriptions}, expected one with text")
    return problems


@pytest.mark.parametrize("which", ["shipped", "knee-and-balance"])
def test_every_page_has_unique_ids_and_a_description(which, request):
    output = request.getfixturevalue("built_site" if which == "shipped" else "knee_site")
    pages = {path.relative_to(output).as_posix() for path in html_pages(output)}
    assert {"404.html", "index.html"} <= pages and any(page.endswith("/print.html") for page in pages)
    assert any(page.startswith("clinics/") and page.count("/") == 2 for page in pages)  # a clinic's own page
    problems = ids_and_descriptions(output)
    assert not problems, "\n".join(problems)



def test_a_character_reference_html_forbids_shows_as_typed(site, run):
    """Markdown keeps a reference typed into a body (`&#65;` is A); one HTML forbids reads as typed."""
    site.edit("content/exercises/bird-dog.md", "Breathe normally.",
              'Breathe &#65;&#x42; &#0; &#x110000; &#128; &#xFFFF; &#13; now &amp; slowly [a](https://e.org "&#1;").')
    assert run("-q").status == 0
    page = site.output / "exercises" / "bird-dog" / "index.html"
    assert "Breathe AB &#0; &#x110000; &#128; &#xFFFF; &#13; now & slowly" in read_page(page).text
    assert 'title="&amp;#1;"' in page.read_text(encoding="utf-8")
