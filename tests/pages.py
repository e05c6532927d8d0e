"""Reading built pages in tests: links, ids, JSON-LD and visible text, with the stdlib parser."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Page:
    path: Path
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value)
    ids: set[str] = field(default_factory=set)
    json_ld: list[object] = field(default_factory=list)
    text: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.in_json = False
        self.skip = 0
        self.json_text: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.page.tags.append((tag, attributes))
        if "id" in attributes:
            self.page.ids.add(attributes["id"])
        for name in ("href", "src"):
            if name in attributes:
                self.page.links.append((tag, name, attributes[name]))
        if tag == "meta":
            key = attributes.get("property") or attributes.get("name") or attributes.get("http-equiv")
            if key:
                self.page.meta[key] = attributes.get("content", "")
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self.in_json = True
        if tag in ("script", "style", "title"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "script" and self.in_json:
            self.page.json_ld.append(json.loads("".join(self.json_text)))
            self.in_json, self.json_text = False, []
        if tag in ("script", "style", "title"):
            self.skip -= 1
        if tag in ("p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "div", "tr", "td", "th", "figcaption", "address", "br"):
            self.text.append("\n")

    def handle_data(self, data):
        if self.in_json:
            self.json_text.append(data)
        elif not self.skip:
            self.text.append(data)


def read_page(path: Path) -> Page:
    page = Page(path)
    scanner = _Scanner(page)
    scanner.feed(path.read_text(encoding="utf-8"))
    scanner.close()
    page.text = " ".join(" ".join(scanner.text).split())
    return page


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))
