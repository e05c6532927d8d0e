"""Page bodies get Python-Markdown's HTML, except where the site's link policy means otherwise;
the fast path (leaving out the patterns a body holds nothing for) and its fallback agree."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen.build import markup
from site_gen.build.markup import Link

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "markdown_cases"
DOCUMENTS = sorted(path.relative_to(CASES).with_suffix("").as_posix() for path in CASES.glob("*/*.txt"))
VENDORED_VERSION = "3.11.3"  # of the documents' expected HTML (see markdown_cases/README.md)
# The options Python-Markdown's tests/test_legacy.py converts these documents with; others: none.
UPSTREAM_OPTIONS = {
    "extensions/sane_lists": {"extensions": ["sane_lists"]},
    "extensions/toc": {"extensions": ["toc"]},
    "extensions/toc_invalid": {"extensions": ["toc"]},
    "extensions/toc_nested": {"extensions": ["toc"], "extension_configs": {"toc": {"permalink": True}}},
    "extensions/toc_nested2": {"extensions": ["toc"], "extension_configs": {"toc": {"permalink": "[link]"}}},
    "extensions/toc_nested_list": {"extensions": ["toc"]},
    "extensions/toc_out_of_order": {"extensions": ["toc"]},
}
BIRD = "content/exercises/bird-dog.md"
ERROR_END = "links start with https:, http:, mailto: or tel:, or point to a page of this site"


def _document(name: str) -> str:
    return (CASES / f"{name}.txt").read_text(encoding="utf-8")


def _python_markdown(text: str) -> str:
    """Python-Markdown's HTML with the site's extensions and its one rule: typed HTML is text."""
    md = markdown.Markdown(extensions=list(markup.EXTENSIONS), output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md.convert(text)


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _site_html(text: str) -> str:
    """The site's HTML, its internal links (placeholders the assemble step fills) given their
    hrefs as written."""
    rendered = markup.render_markdown([(text, "exercises/document.md", 1)])[0]
    return markup.fill_links(rendered.html, [_attribute(link.written) for link in rendered.links])


def _plain_email_links(python_markdown_html: str) -> str:
    """Python-Markdown's email autolinks, written in character references, as plain links."""
    def plain(match: re.Match[str]) -> str:
        address = html.unescape(match[2])
        return f'<a href="{_attribute(html.unescape(match[1]))}">{html.escape(address, quote=False)}</a>'

    return re.sub(r'<a href="((?:&#\d+;)+)">([^<]*)</a>', plain, python_markdown_html)


# Where the site's HTML is meant to differ from Python-Markdown's: why, and the difference.
INTENDED = {
    "basic/auto-links": ("ftp: is not an allowed scheme: the link goes nowhere and the build reports it",
                         lambda text: text.replace('href="ftp://example.com"', 'href="#"')),
    "misc/email": ("email autolinks are plain mailto: links, which the link checks can read", _plain_email_links),
    "misc/numeric-entity": ("email autolinks are plain mailto: links, likewise", _plain_email_links),
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_python_markdowns_documents_get_its_html_but_where_the_link_policy_differs(name):
    text = _document(name)
    expected = _python_markdown(text)
    if name in INTENDED:
        expected = INTENDED[name][1](expected)
    assert _site_html(text) == expected


@pytest.mark.parametrize("name", sorted(INTENDED))
def test_each_intended_difference_is_one(name):
    text = _document(name)
    assert _site_html(text) != _python_markdown(text), f"{name} is no longer an exception: take it out of INTENDED"


@pytest.mark.skipif(markdown.__version__ != VENDORED_VERSION,
                    reason=f"the documents' HTML is Python-Markdown {VENDORED_VERSION}'s")
@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_vendored_documents_are_python_markdowns_own(name):
    expected = (CASES / f"{name}.html").read_text(encoding="utf-8")
    assert markdown.markdown(_document(name), **UPSTREAM_OPTIONS.get(name, {})) == expected


def test_email_autolinks_are_plain_mailto_links_named_on_their_line():
    body = "Call us.\n\nEmail us at <frontdesk@example.com>\nor <mailto:billing_desk@example.com>.\n"
    rendered = markup.render_markdown([(body, "exercises/bird-dog.md", 32)])[0]
    assert rendered.html == ('<p>Call us.</p>\n<p>Email us at '
                             '<a href="mailto:frontdesk@example.com">frontdesk@example.com</a>\n'
                             'or <a href="mailto:billing_desk@example.com">billing_desk@example.com</a>.</p>')
    assert rendered.links == (
        Link("external", "mailto:frontdesk@example.com", "", "mailto:frontdesk@example.com", 34),
        Link("external", "mailto:billing_desk@example.com", "", "mailto:billing_desk@example.com", 35))


def test_an_email_autolink_builds_into_a_working_link(site, run):
    site.edit(BIRD, "## Tips", "Email us at <frontdesk@example.com>.\n\n## Tips")
    result = run("-q")
    assert (result.status, result.errors) == (0, [])
    page = site.read("output/exercises/bird-dog/index.html")
    assert 'Email us at <a href="mailto:frontdesk@example.com">frontdesk@example.com</a>.' in page


def test_links_of_schemes_not_allowed_go_nowhere_and_are_reported_on_their_lines(site, run):
    site.edit(BIRD, "## Tips", "Get it at <ftp://example.com/a.pdf>.\n\nOr [the file](file:///etc/passwd).\n\n## Tips")
    line = site.read(BIRD).split("\n").index("Get it at <ftp://example.com/a.pdf>.") + 1
    assert run("-q").errors == [f'{BIRD}:{line}: link: "ftp://example.com/a.pdf" is not allowed; {ERROR_END}',
                                f'{BIRD}:{line + 2}: link: "file:///etc/passwd" is not allowed; {ERROR_END}']
    rendered = markup.render_markdown([("<ftp://example.com/a.pdf> [b](javascript:alert(1))", "x.md", 1)])[0]
    assert rendered.html == '<p><a href="#">ftp://example.com/a.pdf</a> <a href="#">b</a></p>'
    assert [link.kind for link in rendered.links] == ["bad", "bad"]


def test_a_backslash_escape_in_a_link_is_read_as_the_character_it_escapes():
    rendered = markup.render_markdown([("See [planes](../spine\\_planes.md).", "exercises/bird-dog.md", 1)])[0]
    assert rendered.links == (Link("file", "spine_planes.md", "", "../spine_planes.md", 1),)


# The fast path: each body converted without the patterns it holds nothing for (markup._INLINE_NEEDS).

def test_the_fast_path_suits_the_installed_python_markdown():
    assert markup.fast_path_problem() is None


def _bodies() -> list[tuple[str, str, int]]:
    """The shipped content's bodies and Python-Markdown's documents."""
    content = ROOT / "content"
    shipped = [(path.read_text(encoding="utf-8").split("\n---\n", 1)[1], path.relative_to(content).as_posix(), 1)
               for path in sorted(content.rglob("*.md"))]
    return shipped + [(_document(name), f"exercises/{name}.md", 1) for name in DOCUMENTS]


def test_the_fallback_gives_the_html_links_and_headings_of_the_fast_path():
    bodies = _bodies()
    fast, fallback = markup._Renderer(fast=True), markup._Renderer(fast=False)
    assert [fallback.render(*body) for body in bodies] == [fast.render(*body) for body in bodies]
    assert len(fast.instances) > 1  # some bodies did leave patterns out


# Every character an inline pattern or smarty needs, alone and in the constructs it starts.
INLINE_TEXT = st.lists(st.sampled_from(list("ab x\n#*_`\\[]()!<>&;@:\t\r\x02") + [
    "  \n", "\t\n", "  \r\n", "\n\n", "- ", "1. ", "| a |", "[a](http://a.b)", "[a](b.md)", "[a](#c)", "[a](/d/)",
    "![a](http://a.b/i.png)", "![decorative](i.png)", "[a][r]", "[r]", "\n[r]: http://a.b\n", "<http://a.b>",
    "<ftp://a.b>", "<a@b.c>", "<mailto:a_b@c.d>", "&amp;", "&#35;", "\\*", "\\_", "`c`", "**b**", "_e_", "'", '"',
    "--", "---", "...", "'\"", '"\'', "'90s", "don't", "&#39;", "&quot;", "\\'", "[TOC]", "\n## h\n"]),
    max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(INLINE_TEXT)
def test_a_body_without_what_a_pattern_needs_gets_the_same_result_without_it(text):
    body = (text, "exercises/x.md", 3)
    assert markup._Renderer(fast=True).render(*body) == markup._Renderer(fast=False).render(*body)


def test_a_python_markdown_the_fast_path_does_not_suit_is_named_and_used_whole(monkeypatch):
    bodies = _bodies()[:20]
    expected = markup.render_markdown(bodies)
    # A release without a pattern the fast path names, as an upgrade past the pinned range might be.
    monkeypatch.setattr(markup, "_INLINE_NEEDS", {**markup._INLINE_NEEDS, "strikethrough": ("~",)})
    assert markup.fast_path_problem() == (f"Python-Markdown {markdown.__version__} has no inline pattern "
                                          "strikethrough")
    assert markup.render_markdown(bodies, fast=False) == expected


def test_a_build_with_a_python_markdown_the_fast_path_does_not_suit_says_so_once(site, run, monkeypatch):
    from site_gen.build import pipeline

    expected = run("-q", "--output", "before").status == 0 and (site.root / "before").is_dir()
    monkeypatch.setattr(pipeline, "fast_path_problem", lambda: "Python-Markdown 9.9 has no inline pattern em")
    shutil.rmtree(site.root / ".cache")
    result = run("-q")
    assert expected and result.status == 0
    assert result.err == ("warning: Python-Markdown 9.9 has no inline pattern em; each body is converted with "
                          "every pattern (slower)\n")
    assert ({path.relative_to(site.output) for path in site.output.rglob("*.html")}
            == {path.relative_to(site.root / "before") for path in (site.root / "before").rglob("*.html")})
    for path in site.output.rglob("*.html"):
        assert path.read_bytes() == (site.root / "before" / path.relative_to(site.output)).read_bytes()
