"""The dosage said in the page's language: the shipped Spanish pages word for word, with the English
pages' numbers; Spanish plural rules on a scratch site with counts of one and of many; every dosage
shape of the knee and balance fixture in Spanish, on the page, the program, the packet, the tracker,
the blank handout and the structured data; the titles, times and counts the tool writes; the
print-fit estimate, in the sheet's language."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from pages import read_page

from site_gen.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "sites" / "knee-and-balance"
TODAY = "2026-12-01"

# The shipped exercises' Spanish dosage sentences.
SHIPPED = {
    "bird-dog": "Haga 15 repeticiones de cada lado, todos los días.",
    "pallof-press": "Haga 2 series de cada lado, todos los días.",
    "ankle-dorsiflexion-mobilization": "Mantenga la posición unos 5 segundos. Haga 5 series de 30 repeticiones de "
                                       "cada lado, repartidas a lo largo del día, todos los días.",
    "kettlebell-deadlift": "Hágalo una o dos veces a la semana.",
    # Its first sentence is the translation's `dosage_words` (the source's action and distance, its numbers kept).
    "single-arm-farmers-carry": "Camine unos 30 pies, luego dé la vuelta y regrese. "
                                "Haga 1 repetición de cada lado, 3–4 veces a la semana.",
}
# Counts written as words, by language, to compare a sentence's numbers across languages.
NUMBER_WORDS = {"en": {"once": 1, "twice": 2}, "es": {"una": 1, "dos": 2}}


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def first(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.DOTALL)
    assert match, pattern
    return text_of(match.group(1))


def numbers(sentence: str, code: str) -> list[int]:
    words = NUMBER_WORDS[code]
    return [int(token) if token.isdigit() else words[token.lower()]
            for token in re.findall(r"\d+|[^\W\d_]+", sentence) if token.isdigit() or token.lower() in words]


def summary(output: Path, page: str) -> str:
    return first(r'<p class="dosage-summary">(.*?)</p>', (output / page).read_text(encoding="utf-8"))


# -- the shipped site ----------------------------------------------------------------------------

@pytest.mark.parametrize("slug", SHIPPED)
def test_shipped_spanish_sentence_word_for_word_with_the_english_numbers(built_site, slug):
    spanish = summary(built_site, f"es/exercises/{slug}/index.html")
    english = summary(built_site, f"exercises/{slug}/index.html")
    assert spanish == SHIPPED[slug]
    assert numbers(spanish, "es") == numbers(english, "en")
    [data] = read_page(built_site / "es" / "exercises" / slug / "index.html").json_ld
    assert data["mainEntity"]["additionalVariable"] == spanish
    [english_data] = read_page(built_site / "exercises" / slug / "index.html").json_ld
    assert data["mainEntity"].get("repetitions") == english_data["mainEntity"].get("repetitions")
    # The list of exercises says it the same way.
    listing = (built_site / "es" / "exercises" / "index.html").read_text(encoding="utf-8")
    card = listing.split(f'href="{slug}/"')[1].split("</li>")[0]
    assert text_of(card).endswith(spanish)


def test_shipped_spanish_program_packet_and_tracker(built_site):
    packet = (built_site / "es" / "programs" / "back-care-basics" / "print.html").read_text(encoding="utf-8")
    cover = text_of(packet.split('<ol class="cover-list">')[1].split("</ol>")[0])
    for sentence in SHIPPED.values():
        assert sentence in cover
    labels = [text_of(label) for label in re.findall(r'<span class="tracker-often">(.*?)</span>', packet)]
    assert labels == ["Todos los días", "Una o dos veces a la semana", "Todos los días", "3–4 veces a la semana",
                      "Todos los días, 5 series"]
    box = packet.split('id="sheet-ankle-dorsiflexion-mobilization"')[1].split("</dl>")[0]
    rows = [(text_of(term), text_of(value)) for term, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", box)]
    assert rows == [("Series", "5, repartidas a lo largo del día"), ("Repita", "30 veces de cada lado"),
                    ("Mantenga", "unos 5 segundos"), ("Con qué frecuencia", "Todos los días")]


def test_titles_the_tool_writes_are_in_the_page_language(built_site):
    def head(page: str) -> tuple[str, str]:
        text = (built_site / page).read_text(encoding="utf-8")
        return (first(r"<title>(.*?)</title>", text), html.unescape(re.search(r'<meta name="description" '
                                                                               r'content="([^"]*)"', text)[1]))

    assert head("exercises/index.html") == ("All exercises · Back Care Library",
                                            "Every exercise in the library, grouped by topic.")
    title, description = head("es/exercises/index.html")
    assert title.startswith("Todos los ejercicios · ")
    assert description == "Todos los ejercicios de la biblioteca, ordenados por tema."
    title, description = head("es/programs/back-care-basics/print.html")
    assert title.startswith("Cuidado básico de la espalda: paquete para imprimir · ")
    assert description.startswith("Cuidado básico de la espalda: una portada con una hoja de seguimiento")
    assert head("programs/back-care-basics/print.html")[0] == "Back care basics: printable packet · Back Care Library"
    assert head("es/clinics/index.html")[1].startswith("Direcciones, números de teléfono y horarios de todas")
    for page, heading in (("es/exercises/index.html", "Todos los ejercicios"), ("exercises/index.html", "All exercises"),
                          ("es/programs/index.html", "Programas para la casa"), ("programs/index.html", "Home programs")):
        assert first(r"<h1>(.*?)</h1>", (built_site / page).read_text(encoding="utf-8")) == heading


# -- a scratch site: every dosage shape, and counts of one and of many, in Spanish ---------------

# slug: (its dosage, the English sentence, the Spanish sentence)
PLURALS = {
    "one-of-each": ("sets: 1\n  reps: 1\n  hold_seconds: 1\n  frequency: once a week",
                    "Hold for 1 second. Do 1 set of 1, once a week.",
                    "Mantenga la posición 1 segundo. Haga 1 serie de 1 repetición, una vez a la semana."),
    "many-of-each": ("sets: 3\n  reps: 15\n  rest: about 1 minute\n  frequency: 5 times a day",
                     "Do 3 sets of 15, 5 times a day. Rest for about 1 minute between sets.",
                     "Haga 3 series de 15 repeticiones, 5 veces al día. Descanse alrededor de 1 minuto entre series."),
    "one-rep": ("reps: 1", "Do this once.", "Haga 1 repetición."),
    "fifteen-reps": ("reps: 15\n  frequency: twice a week", "Do this 15 times, twice a week.",
                     "Haga 15 repeticiones, dos veces a la semana."),
    "one-set": ("sets: 1\n  side: each side", "Do 1 set on each side.", "Haga 1 serie de cada lado."),
}
# The fixture's shapes in Spanish: (the sentence, the blank handout, the tracker row's label, the
# ExercisePlan's dosage properties). Those whose sentence starts with the source's `action` are left out.
SHAPES = {
    "quad-sets": (
        "Mantenga la posición 5 segundos. Haga 10 repeticiones, 3 veces al día.",
        ("Haga ______ series. Repita ______ veces. Mantenga la posición ______ segundos. "
         "Hágalo ______ veces al día, ______ días a la semana."),
        "3 veces al día", {"repetitions": 10, "activityFrequency": "3 veces al día"}),
    "step-ups": (
        "Haga 3 series de 12 repeticiones solo del lado izquierdo, un día sí y otro no. Descanse 1 minuto entre series.",
        ("Haga ______ series. Repita ______ veces solo del lado izquierdo. Descanse ______ minutos entre series. "
         "Hágalo ______ veces al día, ______ días a la semana."),
        "Un día sí y otro no",
        {"repetitions": 12, "activityFrequency": "un día sí y otro no",
         "restPeriods": {"@type": "QuantitativeValue", "value": 1, "unitCode": "MIN", "unitText": "minutos"}}),
    "hamstring-curls": (
        ("Haga 2 series de 15 repeticiones solo del lado derecho, 3 veces a la semana. "
         "Descanse 30 segundos entre series."),
        ("Haga ______ series. Repita ______ veces solo del lado derecho. Descanse ______ segundos entre series. "
         "Hágalo ______ veces al día, ______ días a la semana."),
        "3 veces a la semana",
        {"repetitions": 15, "activityFrequency": "3 veces a la semana",
         "restPeriods": {"@type": "QuantitativeValue", "value": 30, "unitCode": "SEC", "unitText": "segundos"}}),
    "clamshells": (
        "Haga 2 series de 10 repeticiones de cada lado, una o dos veces a la semana.",
        "Haga ______ series. Repita ______ veces de cada lado. Hágalo ______ veces al día, ______ días a la semana.",
        "Una o dos veces a la semana", {"repetitions": 10, "activityFrequency": "una o dos veces a la semana"}),
    "knee-slides": (
        "Su fisioterapeuta le dirá cuánto y con qué frecuencia hacerlo.",
        "Haga ______ series. Repita ______ veces. Hágalo ______ veces al día, ______ días a la semana.",
        "Como le indique su fisioterapeuta", {}),
    "single-leg-stance": (
        "Mantenga la posición unos 30 segundos. Haga 3 repeticiones del lado en tratamiento, 4–5 veces a la semana.",
        ("Haga ______ series. Repita ______ veces del lado en tratamiento. Mantenga la posición ______ segundos. "
         "Hágalo ______ veces al día, ______ días a la semana."),
        "4–5 veces a la semana", {"repetitions": 3, "activityFrequency": "4–5 veces a la semana"}),
}
TRANSLATION = """---
title: {title} en español
summary: Un ejercicio de prueba, en español.
steps:
  - Siéntese derecho en una silla.
  - Mueva la pierna despacio.
safety:
  - Pare si siente dolor.
reviewed: 2026-11-01
reviewed_by: Revisores de prueba
translated_by: Traducción de prueba
---
Su fisioterapeuta puede cambiar cuánto hace.
"""


@pytest.fixture(scope="module")
def spanish_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The knee and balance fixture in English and Spanish, with exercises counting one and many, each
    exercise translated."""
    project = tmp_path_factory.mktemp("dosage-es")
    content = project / "content"
    shutil.copytree(FIXTURE / "content", content)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("language: en-CA",
                                                                       "languages: [en-US, es-US]"), encoding="utf-8")
    for slug, (dosage, _, _) in PLURALS.items():
        (content / "exercises" / f"{slug}.md").write_text(
            f"---\ntitle: Test {slug}\nsummary: A test exercise.\nmuscles:\n  - thigh muscles\nequipment: []\n"
            f"dosage:\n  {dosage}\nsteps:\n  - Sit up tall in a chair.\n  - Move your leg slowly.\n"
            f"safety:\n  - Stop if you feel pain.\n---\nYour physical therapist may change how much you do.\n",
            encoding="utf-8")
    for path in sorted((content / "exercises").glob("*.md")):
        source = path.read_text(encoding="utf-8")
        # A list the source gives is translated whole: one word for each of its entries.
        lists = "".join(f"{key}:\n" + "  - palabra\n" * len(re.findall(r"^  - ", block, re.MULTILINE))
                        for key, block in re.findall(r"^(muscles|equipment):\n((?:  - .*\n)+)", source, re.MULTILINE))
        # The dosage's own words (an action, a distance), with the source's numbers.
        own = "".join(f"  {key}: palabras\n" for key in ("action", "distance")
                      if re.search(rf"^  {key}: ", source, re.MULTILINE))
        lists += f"dosage_words:\n{own}" if own else ""
        (path.parent / f"{path.stem}.es.md").write_text(
            TRANSLATION.format(title=re.search(r"^title: (.*)$", source, re.MULTILINE)[1]).replace("steps:", lists + "steps:"),
            encoding="utf-8")
    (content / "programs" / "knee-start.es.yaml").write_text(
        "title: Inicio para la rodilla\nsummary: Cinco ejercicios para empezar.\n"
        "notes:\n  knee-slides: Pregunte cuánto doblarla en su próxima visita.\n"
        "reviewed: 2026-11-01\nreviewed_by: Revisores de prueba\ntranslated_by: Traducción de prueba\n",
        encoding="utf-8")
    status = main(["--content", str(content), "--templates", str(ROOT / "templates"),
                   "--output", str(project / "output"), "--today", TODAY, "-q"])
    assert status == 0
    return project / "output"


@pytest.mark.parametrize("slug", PLURALS)
def test_spanish_plurals_of_one_and_of_many(spanish_site, slug):
    _, english, spanish = PLURALS[slug]
    assert summary(spanish_site, f"exercises/{slug}/index.html") == english
    assert summary(spanish_site, f"es/exercises/{slug}/index.html") == spanish
    assert numbers(spanish, "es") == numbers(english, "en")


def test_spanish_dosage_box_counts_one_and_many(spanish_site):
    def rows(slug: str) -> list[tuple[str, str]]:
        page = (spanish_site / "es" / "exercises" / slug / "index.html").read_text(encoding="utf-8")
        box = page.split('<section class="dosage">')[1].split("</dl>")[0]
        return [(text_of(term), text_of(value)) for term, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", box)]

    assert rows("one-of-each") == [("Series", "1"), ("Repita", "1 vez"), ("Mantenga", "1 segundo"),
                                   ("Con qué frecuencia", "Una vez a la semana")]
    assert rows("many-of-each") == [("Series", "3"), ("Repita", "15 veces"),
                                    ("Descanso", "alrededor de 1 minuto entre series"),
                                    ("Con qué frecuencia", "5 veces al día")]
    assert rows("one-set") == [("Series", "1 de cada lado"), ("Repita", "Su fisioterapeuta se lo dirá"),
                               ("Con qué frecuencia", "Su fisioterapeuta se lo dirá")]


@pytest.mark.parametrize("slug", SHAPES)
def test_each_dosage_shape_in_spanish_everywhere(spanish_site, slug):
    sentence, blank, label, plan = SHAPES[slug]
    path = spanish_site / "es" / "exercises" / slug / "index.html"
    page = path.read_text(encoding="utf-8")
    assert first(r'<p class="dosage-summary">(.*?)</p>', page) == sentence
    assert first(r'<p class="dosage-summary blank-dose">(.*?)</p>', page) == blank
    assert numbers(sentence, "es") == numbers(summary(spanish_site, f"exercises/{slug}/index.html"), "en")
    [data] = read_page(path).json_ld
    entity = data["mainEntity"]
    assert entity["additionalVariable"] == sentence
    assert {key: entity[key] for key in ("repetitions", "activityFrequency", "restPeriods") if key in entity} == plan
    if slug in ("single-leg-stance",):
        return  # in the other program, whose translation this site does not have
    program = (spanish_site / "es" / "programs" / "knee-start" / "index.html").read_text(encoding="utf-8")
    card = program.split(f'href="../../exercises/{slug}/"')[1].split("</li>")[0]
    assert first(r"<strong>(.*?)</strong>", card) == sentence
    packet = (spanish_site / "es" / "programs" / "knee-start" / "print.html").read_text(encoding="utf-8")
    assert f": {sentence}" in text_of(packet.split('<ol class="cover-list">')[1].split("</ol>")[0])
    row = packet.split(f'<tr data-exercise="{slug}">')[1].split("</tr>")[0]
    assert first(r'<span class="tracker-often">(.*?)</span>', row) == label


# -- what a clinic's own templates and catalog see ---------------------------------------------

def test_time_and_count_filters_in_the_page_language(site, run):
    """The theme's `time` and `count_words` filters, as a project's template uses them."""
    rel = site.override("exercises.html")
    site.edit(rel, "{% block main %}", "{% block main %}\n<p id=\"filters\">{{ '07:00' | time }} / {{ '13:30' | time }} / "
                                       "{{ '12:00' | time }} / {{ 4 | count_words }} / {{ 1300 | count_words }}</p>")
    assert run("-q", "--today", TODAY).status == 0
    english, spanish = (html.unescape(re.search(r'<p id="filters">(.*?)</p>', site.read(page))[1])
                        for page in ("output/exercises/index.html", "output/es/exercises/index.html"))
    assert english == "7 am / 1:30 pm / noon / four / 1300"
    assert spanish == "7:00\u202fa.m. / 1:30\u202fp.m. / 12:00\u202fp.m. / cuatro / 1,300"  # Babel's, for es-US


def test_print_fit_measures_the_sheet_in_its_language(site, run):
    """A sheet is estimated with its dosage in the sheet's language: a project catalog whose Spanish
    sentence is far longer than the English one makes only the Spanish sheet too long for a page."""
    catalog = site.write("templates/locale/es.po",
                         (ROOT / "site_gen" / "theme" / "locale" / "es.po").read_text(encoding="utf-8"))
    long_words = " ".join(["Haga %(num)d repeticiones despacio y con cuidado, contando cada una en voz alta"] * 12)
    site.edit(catalog.relative_to(site.root).as_posix(), 'msgstr[2] "Haga %(num)d repeticiones"',
              f'msgstr[2] "{long_words}"')
    result = run("--today", TODAY)
    assert result.status == 0
    too_long = [line for line in result.err.splitlines() if "may not print on one page" in line]
    assert any("bird-dog.es.md" in line for line in too_long), too_long
    assert not any("bird-dog.md" in line for line in too_long), too_long
