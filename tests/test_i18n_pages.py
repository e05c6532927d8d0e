"""The Spanish edition as a reader and a search engine see it: every page under es/ says its language,
links to its English page and back (hreflang, the sitemap, the language link), shows none of the
theme's messages in English, leaves out what is not translated, and prints its handouts with QR codes
that open the Spanish pages. A third language needs only a catalog and content files."""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from babel.messages.pofile import read_po
from conftest import ROOT
from test_phone import HEADER_BUDGET, HEIGHT, WIDTHS
from test_print import pdf_pages, pdf_text, print_pdf, qr_codes
from test_site import EXERCISES

BASE = "https://backcare.example.org/"
LOCALE = ROOT / "site_gen" / "theme" / "locale"
TODAY = "2026-12-01"
UNTRANSLATED = "have no translation"  # language.py's warning about a catalog's missing messages
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")  # attributes a reader sees or hears


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The shipped content built as a clinic builds it: the output folder, and what the build printed."""
    output = tmp_path_factory.mktemp("i18n") / "output"
    result = subprocess.run([sys.executable, "build.py", "-q", "--output", str(output), "--today", TODAY],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return output, result.stderr


class _Reader(HTMLParser):
    """A page as read: its text outside script and style, attribute words a reader sees or hears, each
    piece with the language it is marked as (the nearest `lang`); its links and alternates."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str]] = []  # (tag, lang) of each element open
        self.pieces: list[tuple[str, str]] = []  # (lang, words)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.title: list[str] = []

    @property
    def lang(self) -> str:
        return self.open[-1][1] if self.open else ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        # Words marked translate="no" (a person's name and credentials) are the same in every language.
        lang = "" if attributes.get("translate") == "no" else attributes.get("lang", self.lang)
        for name in SHOWN_ATTRIBUTES:
            if attributes.get(name):
                self.pieces.append((lang, attributes[name]))
        if tag not in VOID:
            self.open.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data: str) -> None:
        inside = {tag for tag, _ in self.open}
        if "title" in inside:
            self.title.append(data)
        if not inside & {"script", "style"}:
            self.pieces.append((self.lang, data))


def read(path: Path) -> _Reader:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader


def spanish_text(reader: _Reader) -> str:
    """The words of a page marked as Spanish (its own language), whitespace made single: what must hold
    no English interface string. Words marked as another language (an untranslated exercise's title,
    the expert's original quote, the language link) are left out."""
    return " ".join(" ".join(words for lang, words in reader.pieces if lang.startswith("es")).split())


def address_file(output: Path, address: str) -> Path:
    """The built file of a site address (absolute, under BASE)."""
    assert address.startswith(BASE), address
    rel = address.removeprefix(BASE)
    return output / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def resolve(rel: str, href: str) -> str:
    """The built file a relative link on the page at `rel` leads to."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), href))
    return posixpath.normpath(posixpath.join(target, "index.html")) if href.endswith("/") else target


def alternates(reader: _Reader) -> dict[str, str]:
    return {attributes["hreflang"]: attributes["href"] for tag, attributes in reader.tags
            if tag == "link" and attributes.get("rel") == "alternate"}


def spanish_pages(output: Path) -> list[Path]:
    return sorted((output / "es").rglob("*.html"))


def sitemap_entries(output: Path) -> dict[str, dict[str, str]]:
    """Each address the sitemap lists, with its xhtml:link alternates by hreflang."""
    root = ElementTree.parse(output / "sitemap.xml").getroot()
    return {entry.findtext(f"{SITEMAP}loc"): {link.get("hreflang"): link.get("href")
                                             for link in entry.findall(f"{XHTML}link")}
            for entry in root.findall(f"{SITEMAP}url")}


def test_the_spanish_edition_has_every_translated_page(shipped):
    output, _ = shipped
    pages = {path.relative_to(output).as_posix() for path in spanish_pages(output)}
    wanted = {"es/index.html", "es/spine-planes/index.html", "es/programs/back-care-basics/index.html",
              "es/programs/back-care-basics/print.html", "es/exercises/index.html", "es/programs/index.html",
              *(f"es/exercises/{slug}/index.html" for slug in EXERCISES)}
    assert wanted <= pages


def test_every_spanish_page_says_its_language_and_links_to_its_english_page_and_back(shipped):
    output, _ = shipped
    listed = sitemap_entries(output)
    checked = 0
    for path in spanish_pages(output):
        rel = path.relative_to(output).as_posix()
        reader = read(path)
        html = next(attributes for tag, attributes in reader.tags if tag == "html")
        assert html.get("lang") == "es-US", rel
        address = BASE + (rel.removesuffix("index.html"))
        if address not in listed:  # a page for printing (the packet): not for search engines
            assert not alternates(reader), rel
            continue
        found = alternates(reader)
        english = BASE + rel.removeprefix("es/").removesuffix("index.html")
        assert found == {"en-US": english, "es-US": address, "x-default": english}, rel
        for other in (english, address):
            back = alternates(read(address_file(output, other)))
            assert back == found, f"{other} does not link back to {address}"
        # The language link in the header leads to the English page, and says so in English.
        links = [attributes for tag, attributes in reader.tags if "language-link" in attributes.get("class", "")]
        assert [(link["hreflang"], link["lang"]) for link in links] == [("en-US", "en-US")], rel
        assert resolve(rel, links[0]["href"]) == address_file(output, english).relative_to(output).as_posix(), rel
        # The sitemap lists the page with the same alternates.
        assert listed[address] == found, rel
        assert listed[english] == found, rel
        checked += 1
    assert checked >= 10


def test_the_english_pages_link_to_their_spanish_pages(shipped):
    output, _ = shipped
    reader = read(output / "exercises" / "bird-dog" / "index.html")
    links = [attributes for tag, attributes in reader.tags if "language-link" in attributes.get("class", "")]
    assert [(link["href"], link["hreflang"]) for link in links] == [("../../es/exercises/bird-dog/", "es-US")]
    assert "Español" in " ".join(words for lang, words in reader.pieces if lang == "es-US")


def catalog_messages() -> list[tuple[str, ...]]:
    """Each message of the theme's template catalog, as its English forms (one, or singular and plural)."""
    with (LOCALE / "messages.pot").open("rb") as file:
        template = read_po(file)
    return [message.id if isinstance(message.id, tuple) else (message.id,) for message in template if message.id]


def english_pattern(message: str) -> re.Pattern | None:
    """A message's English as a pattern over page text: its placeholders stand for any short words.
    None for one whose own words are too few to tell it from other English text on the page ("%(day)s:",
    "Call %(phone)s" against a disclaimer's "Call 911"): that it is translated is checked on the catalog."""
    pieces = re.split(r"%\(\w+\)([sd])", " ".join(message.replace("%%", "%").split()))
    parts, kinds = pieces[::2], pieces[1::2]  # the message's own words, and each placeholder's kind
    letters = sum(len(re.findall(r"[A-Za-z]", part)) for part in parts)
    if letters < (2 if len(parts) == 1 else 6):
        return None
    pattern = re.escape(parts[0])
    for kind, part in zip(kinds, parts[1:]):
        pattern += (r"\d[\d,.]*" if kind == "d" else r".{1,80}?") + re.escape(part)
    return re.compile(r"(?<![\w-])" + pattern + r"(?![\w-])")


def proper_names() -> list[str]:
    """The site's and clinics' names, streets and cities, which are the same in every language (a
    catalog word such as "Side" may be part of one: "Upper West Side"), longest first."""
    site = yaml.safe_load((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"))
    names = {site["title"], site["clinic"]}
    for path in (ROOT / "content" / "clinics").glob("*.yaml"):
        fields = yaml.safe_load(path.read_text(encoding="utf-8"))
        names |= {str(fields[key]) for key in ("name", "street", "city") if fields.get(key)}
    return sorted(names, key=len, reverse=True)


def test_no_spanish_page_shows_a_message_of_the_catalog_in_english(shipped):
    """Against the catalog: every message the theme can show is checked on every Spanish page, so a
    string left out of gettext, or left untranslated, is found whichever page shows it. A message that
    Spanish writes the same way (es.po gives the English) is not English on the page."""
    output, _ = shipped
    with (LOCALE / "es.po").open("rb") as file:
        spanish = read_po(file, locale="es")
    names = proper_names()
    patterns = []
    for forms in catalog_messages():
        found = spanish.get(forms[0])
        translated = found.string if found is not None else None
        same = set(translated if isinstance(translated, tuple) else (translated,)) if translated else set()
        patterns += [(form, pattern) for form in forms if form not in same
                     and (pattern := english_pattern(form)) is not None]
    assert len(patterns) > 50
    shown = {}
    for path in spanish_pages(output):
        text = spanish_text(read(path))
        for name in names:
            text = text.replace(name, " ")
        english = sorted({form for form, pattern in patterns if pattern.search(text)})
        if english:
            shown[path.relative_to(output).as_posix()] = english
    assert shown == {}


def shown_words(reader: _Reader, lang: str, names: list[str]) -> set[str]:
    """Each piece of text of a page marked as a language, of two words or more once proper names are
    taken out."""
    found = set()
    for marked, words in reader.pieces:
        if marked.startswith(lang):
            for name in names:
                words = words.replace(name, " ")
            words = " ".join(re.sub(r"\S*[@/]\S*", " ", words).split())  # e-mail and web addresses
            if len(re.findall(r"[^\W\d_]{2,}", words)) >= 2:
                found.add(words)
    return found


def test_no_spanish_page_repeats_words_of_its_english_page(shipped):
    """What no catalog lists: words a template writes without gettext are the same on both pages."""
    output, _ = shipped
    names = proper_names()
    shown = {}
    for path in spanish_pages(output):
        rel = path.relative_to(output).as_posix()
        english = output / rel.removeprefix("es/")
        same = shown_words(read(path), "es", names) & shown_words(read(english), "en", names)
        if same:
            shown[rel] = sorted(same)
    assert shown == {}


def test_the_spanish_catalog_translates_every_message_and_the_build_says_none_is_missing(shipped):
    _, printed = shipped
    with (LOCALE / "es.po").open("rb") as file:
        spanish = read_po(file, locale="es")
    missing = []
    for forms in catalog_messages():
        found = spanish.get(forms[0])
        strings = found.string if found is not None else None
        if not strings or (isinstance(strings, tuple) and (len(strings) != 3 or not all(strings))) or found.fuzzy:
            missing.append(forms[0])
    assert missing == []
    assert UNTRANSLATED not in printed


def test_a_translated_page_says_who_translated_it_and_marks_the_quote_as_a_translation(shipped):
    output, _ = shipped
    page = output / "es" / "exercises" / "bird-dog" / "index.html"
    reader = read(page)
    text = spanish_text(reader)
    assert ("Traducción: Traducción de muestra; debe revisarla un traductor médico calificado antes de usarla con "
            "pacientes.") in text
    assert "Revisado por última vez el 1 de diciembre de 2026" in text
    # The expert's own words, marked as English, then the Spanish rendering marked as a translation.
    english = [words for lang, words in reader.pieces if lang == "en-US"]
    assert "“It's like a corset muscle.”" in english
    assert "Traducción: “Es como un músculo que hace de faja.”" in text
    # An English page says nothing of translation.
    assert "Translated by" not in (output / "exercises" / "bird-dog" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def without_pallof_spanish(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project with one exercise's Spanish file deleted, built: its page is English only."""
    root = tmp_path_factory.mktemp("untranslated")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "content" / "exercises" / "pallof-press.es.md").unlink()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "-q", "--output", str(root / "output"),
                             "--today", TODAY], cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_an_untranslated_page_is_not_listed_in_spanish_and_a_link_to_it_says_it_is_english(without_pallof_spanish):
    output = without_pallof_spanish
    assert not (output / "es" / "exercises" / "pallof-press").exists()
    for listing in ("es/exercises/index.html", "es/index.html"):
        text = (output / listing).read_text(encoding="utf-8")
        assert "pallof-press" not in text, listing
        assert "bird-dog/" in text, listing
    # The program still has the exercise: its card leads to the English page, and says so.
    reader = read(output / "es" / "programs" / "back-care-basics" / "index.html")
    links = [attributes for tag, attributes in reader.tags if tag == "a"
             and attributes.get("href", "").endswith("exercises/pallof-press/")]
    assert [(link["href"], link.get("hreflang")) for link in links] == [("../../../exercises/pallof-press/", "en-US")]
    text = spanish_text(reader)
    assert "(en inglés)" in text
    assert "Pallof Press" in [words for lang, words in reader.pieces if lang == "en-US"]
    assert "Pallof Press" not in text  # its English title is marked as English
    # A translated exercise's link says nothing of language.
    assert text.count("(en inglés)") == 1


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["Letter", "A4"])
@pytest.mark.parametrize("slug", EXERCISES)
def test_spanish_handouts_print_on_one_page_with_a_qr_code_to_the_spanish_page(browser, pdf_tools, shipped,
                                                                                tmp_path, slug, paper):
    output, _ = shipped
    pdf = print_pdf(browser, (output / "es" / "exercises" / slug / "index.html").as_uri(), paper, tmp_path)
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    # The address as printed (pdftotext drops the hyphen a long one wraps at).
    assert f"backcare.example.org/es/exercises/{slug}/".replace("-", "") in text.replace("-", "")
    assert "Revisado por última vez el 1 de diciembre de 2026" in text
    assert qr_codes(pdf, 1, tmp_path) == [f"{BASE}es/exercises/{slug}/"]


@pytest.mark.slow
def test_the_spanish_packet_opens_the_spanish_pages(browser, pdf_tools, shipped, tmp_path):
    output, _ = shipped
    pdf = print_pdf(browser, (output / "es" / "programs" / "back-care-basics" / "print.html").as_uri(), "Letter",
                    tmp_path)
    assert pdf_pages(pdf) == 1 + len(EXERCISES)
    cover = pdf_text(pdf, 1)
    assert "Marque una casilla cada vez que haga un ejercicio." in cover and "Semana 1" in cover
    assert qr_codes(pdf, 2, tmp_path) == [f"{BASE}es/exercises/{EXERCISES[0]}/"]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_language_link_is_a_big_tap_target_in_a_header_that_stays_small(browser, shipped, width):
    output, _ = shipped
    context = browser.new_context(viewport={"width": width, "height": HEIGHT})
    page = context.new_page()
    for rel in ("es/index.html", "index.html", "es/exercises/single-arm-farmers-carry/index.html",
                "exercises/single-arm-farmers-carry/index.html", "es/programs/back-care-basics/index.html"):
        page.goto((output / rel).as_uri())
        header = page.locator("body > header").bounding_box()
        link = page.locator(".language-link").bounding_box()
        assert header["height"] <= HEADER_BUDGET, rel
        assert link["height"] >= 44 and link["width"] >= 44, rel
        # On the header's one row, beside the menu button.
        menu = page.locator(".menu > summary").bounding_box()
        assert abs((link["y"] + link["height"] / 2) - (menu["y"] + menu["height"] / 2)) < 2, rel
        assert link["x"] + link["width"] <= menu["x"], rel
    context.close()


FRENCH_CATALOG = r'''msgid ""
msgstr ""
"Language: fr\n"
"Content-Type: text/plain; charset=utf-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

msgid "Skip to main content"
msgstr "Aller au contenu principal"
'''


def test_a_third_language_needs_only_a_catalog_and_content_files(site, run):
    site.edit("content/site.yaml", "languages: [en-US, es-US]", "languages: [en-US, es-US, fr]")
    site.write("templates/locale/fr.po", FRENCH_CATALOG)
    home = site.read("content/index.es.md").replace("Le damos la bienvenida", "Bienvenue")
    site.write("content/index.fr.md", home)
    result = run("-q", "--output", str(site.output), "--today", TODAY)
    assert result.status == 0, result.err
    page = read(site.output / "fr" / "index.html")
    html = next(attributes for tag, attributes in page.tags if tag == "html")
    assert html["lang"] == "fr"
    words = " ".join(words for _, words in page.pieces)
    assert "Aller au contenu principal" in words and "Skip to main content" not in words
    assert "Menu" in words  # not in the catalog: in English
    assert "Bienvenue" in words
    # Its untranslated messages are named in a warning on the French catalog.
    warnings = [line for line in result.err.splitlines() if UNTRANSLATED in line]
    assert [line.split(":")[0] for line in warnings if "fr.po" in line] == ["templates/locale/fr.po"]
    # Alternates and language links list the French page too.
    assert alternates(read(site.output / "index.html"))["fr"] == "https://backcare.example.org/fr/"
