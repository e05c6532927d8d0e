"""Reading checks per language: Spanish prose graded by Fernández-Huerta (as textstat's Spanish mode
scores it) as a US school grade, its sentences split at ¿…? and ¡…!, targets by language in
site.yaml, and a language without a formula noted as not graded."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, Site

from site_gen.features.readability import (
    fernandez_huerta,
    grade_of_fernandez_huerta,
    graded,
    reading_grade,
    split_sentences,
)

KNEE = ROOT / "tests" / "sites" / "knee-and-balance" / "content"

# Everyday and technical Spanish: words of one to nine syllables, accents, ñ and ü, a contraction-like
# apostrophe, numbers, and the marks Spanish writes (¿ ¡ « » — …).
SPANISH_WORDS = (
    "y o a de la el en su sus un una con por para sin que se le lo no sí más muy pie mano "
    "haga pare tome suba baje doble rodilla espalda cadera hombro cuello tobillo pierna brazo "
    "despacio suavemente cuidadosamente lentamente diariamente respiración rehabilitación "
    "fisioterapeuta ejercicio ejercicios equilibrio músculo músculos articulación inflamación "
    "neuromusculoesquelético interdisciplinario biopsicosocial individualizado contraindicación "
    "niño año señal pingüino vergüenza cigüeña acción después también últimos médico "
    "qué cómo cuándo dónde duele dolor siente sentir camine caminar escalera silla "
    "10 2,5 3.5 x-ray d'Alembert O'Neil ¿ ? ¡ ! « » — … , ; : ( )"
).split()
ENDS = (".", ".", ".", "?", "!", "…", "")


def random_spanish(rng: random.Random) -> str:
    """A text of one to six sentences of 1 to 40 words, some asked (¿…?) or exclaimed (¡…!)."""
    sentences = []
    for _ in range(rng.randint(1, 6)):
        words = " ".join(rng.choice(SPANISH_WORDS) for _ in range(rng.randint(1, 40)))
        end = rng.choice(ENDS)
        opening = {"?": "¿", "!": "¡"}.get(end, "")
        sentences.append(f"{opening}{words}{end}")
    return " ".join(sentences)


@pytest.fixture
def textstat_es():
    """textstat in its Spanish mode (`set_lang("es")`), its default restored afterwards."""
    import textstat

    textstat.set_lang("es")
    yield textstat
    textstat.set_lang("en_US")


def test_the_spanish_score_is_textstats_fernandez_huerta_on_random_texts(textstat_es):
    rng = random.Random(2126)
    counted: dict[str, int] = {}  # one table for every text, as a build keeps one
    for _ in range(600):
        text = random_spanish(rng)
        expected = textstat_es.fernandez_huerta(text)
        assert fernandez_huerta(text) == pytest.approx(expected, abs=1e-9), text
        assert fernandez_huerta(text, counted) == pytest.approx(expected, abs=1e-9), text
        if expected != 0.0:  # textstat's 0.0 is no words, graded 0 as the English grade grades no text
            assert reading_grade(text, counted, language="es") == grade_of_fernandez_huerta(expected), text


def test_spanish_is_graded_for_any_spanish_tag_and_its_words_never_change_english_grades(textstat_es):
    import textstat

    text = "¿Le duele la espalda cuando se agacha? Doble las rodillas y mantenga la espalda recta. ¡Muy bien!"
    assert reading_grade(text, language="es-US") == reading_grade(text, language="es_MX") \
        == grade_of_fernandez_huerta(textstat_es.fernandez_huerta(text)) == 3.8
    # "come", "more", "sea", "pie": one syllable in English, two in Spanish; one table holds both.
    counted: dict[str, int] = {}
    spanish, english = "Come más pie, sea como sea, y no más.", "Come and have more pie by the sea, and some more."
    assert reading_grade(spanish, counted, language="es") == reading_grade(spanish, language="es")
    textstat.set_lang("en_US")
    assert reading_grade(english, counted) == round(textstat.flesch_kincaid_grade(english), 1)
    assert reading_grade(english, counted, language="en-US") == reading_grade(english)


@pytest.mark.parametrize(("score", "grade"), [
    (100, 3), (90, 4), (80, 5), (70, 6), (60, 8), (50, 12), (30, 14), (0, 17),  # each band's edge
    (95, 3.5), (65, 7), (55, 10), (40, 13), (15, 15.5),  # between them, on the line
    (110, 2), (140, -1), (-10, 18),  # past either end, at the slope of the band it leaves
    (60.001, 8), (59.999, 8.1), (50.001, 12), (49.99, 12.1),  # rounded up: above 8 only below 60
])
def test_a_fernandez_huerta_score_is_graded_by_its_published_table(score, grade):
    assert grade_of_fernandez_huerta(score) == grade


def test_a_target_of_8_means_a_fernandez_huerta_score_of_60_or_more():
    scores = [score / 100 for score in range(-2000, 12001, 7)] + [60.0, 50.0]
    grades = [grade_of_fernandez_huerta(score) for score in scores]
    assert all((grade > 8) == (score < 60) for score, grade in zip(scores, grades))
    assert all((grade > 12) == (score < 50) for score, grade in zip(scores, grades))
    ordered = sorted(zip(scores, grades))
    assert all(later <= earlier for (_, earlier), (_, later) in zip(ordered, ordered[1:]))  # easier, never harder


def test_a_language_without_a_formula_has_no_grade():
    text = "Your knee is a hinge. It lets your leg straighten and bend. Two big groups of muscles move it."
    assert reading_grade(text, language="am") is None and not graded("hi-IN")
    assert graded("en") and graded("es-US") and graded("EN_us")


def test_spanish_sentences_end_at_question_and_exclamation_marks_unless_they_go_on():
    lines = ("¿Le duele la rodilla? Pare. ¡Muy bien! Siga así.\n"
             "Si le duele, ¿debe parar? pregúntele a su fisioterapeuta. ¡Cuidado!, dice ella.\n"
             "Diga «¡Listo!» y empiece. ¿Cuántas veces? Diez. «¿Otra vez?» Sí.\n"
             "¡Ánimo! Él dice: ¿ya está? ¿Ñandú? Eso es todo")
    assert split_sentences(lines, "es") == [
        "¿Le duele la rodilla?", "Pare.", "¡Muy bien!", "Siga así.",
        "Si le duele, ¿debe parar? pregúntele a su fisioterapeuta.", "¡Cuidado!, dice ella.",
        "Diga «¡Listo!» y empiece.", "¿Cuántas veces?", "Diez.", "«¿Otra vez?»", "Sí.",
        "¡Ánimo!", "Él dice: ¿ya está?", "¿Ñandú?", "Eso es todo"]
    assert split_sentences(lines, "es-MX") == split_sentences(lines, "es")
    # English keeps its own rule: a question mark ends a sentence whatever follows.
    assert split_sentences("Does it hurt? stop.", "en") == ["Does it hurt?", "stop."]


# A scratch site: the knee-and-balance fixture in Spanish (language es-US), its home page in Spanish.

HOME = "content/index.md"
SUMMARY = "Ejercicios sencillos para sus rodillas y su equilibrio."
BODY = ("Haga cada ejercicio despacio. ¿**Le** duele la rodilla cuando sube la escalera de su casa o cuando "
        "se levanta de la silla? Pare y descanse.\n\n"
        "¡Muy bien! Hable con su fisioterapeuta antes de empezar. Si una página no da un número, su "
        "fisioterapeuta lo pone.\n")
PROSE = ("Ejercicios sencillos para sus rodillas y su equilibrio. Haga cada ejercicio despacio. ¿Le duele la "
         "rodilla cuando sube la escalera de su casa o cuando se levanta de la silla? Pare y descanse. ¡Muy bien! "
         "Hable con su fisioterapeuta antes de empezar. Si una página no da un número, su fisioterapeuta lo pone.")
LONGEST = "¿Le duele la rodilla cuando sube la escalera de su casa o cuando se levanta de la silla?"
# Grade 28 in Spanish alone (Fernández-Huerta -110): as technical as patient material gets.
HARD = ("La rehabilitación multidisciplinaria interinstitucional necesita evaluaciones "
        "neuromusculoesqueléticas individualizadas y consideraciones biopsicosociales.")


@pytest.fixture
def knee(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The knee-and-balance fixture's content, copied; the working folder is the copy's root."""
    root = tmp_path / "knee"
    shutil.copytree(KNEE, root / "content")
    monkeypatch.chdir(root)
    return Site(root)


def spanish(site: Site, targets: str = "") -> None:
    """Make the scratch site a Spanish one, its home page in Spanish, with site.yaml's `targets` lines."""
    site.edit("content/site.yaml", "language: en-CA", f"language: es-US\ncountry: CA{targets}")
    front = site.read(HOME).split("\n---\n")[0]
    site.write(HOME, re.sub(r"summary: .*", f"summary: {SUMMARY}", front) + "\n---\n" + BODY)


def home_report(site: Site) -> dict:
    [page] = [page for page in json.loads((site.root / "output-report.json").read_text()) if page["url"] == "/"]
    return page


def home_warnings(result) -> list[str]:
    return [line for line in result.err.splitlines() if line.startswith(HOME) and line.endswith("(warning)")]


def test_a_spanish_page_is_graded_in_spanish_against_the_spanish_target(knee, run, textstat_es):
    spanish(knee, "\nreading_grade: {es: 8}")
    assert run("check").status == 0
    report = home_report(knee)
    assert report["grade"] == grade_of_fernandez_huerta(textstat_es.fernandez_huerta(PROSE)) == 4.8
    assert report["target_grade"] == 8 and home_warnings(run("check")) == []
    # Below the page's grade: the warning names its longest sentences, as the page shows them (¿Le, not ¿ Le).
    knee.edit("content/site.yaml", "es: 8}", "es: 4}")
    assert home_warnings(run("check")) == [
        f'{HOME}: reading level: grade 4.8, above the target of 4; shorten the longest sentences: "{LONGEST}" / '
        '"Si una página no da un número, su fisioterapeuta lo pone." (page /) (warning)']


def test_a_hard_spanish_sentence_is_named_on_its_line_against_the_spanish_sentence_target(knee, run, textstat_es):
    spanish(knee, "\nsentence_grade: {es: 12}\nreading_grade: 20")
    knee.edit(HOME, "Pare y descanse.", f"Pare y descanse.\n{HARD}")
    line = knee.read(HOME).split("\n").index(HARD) + 1
    grade = grade_of_fernandez_huerta(textstat_es.fernandez_huerta(HARD))
    assert grade == 28
    shown = "La rehabilitación multidisciplinaria interinstitucional … biopsicosociales."
    assert home_warnings(run("check")) == [
        f'{HOME}:{line}: sentence: grade 28, above the target of 12 for one sentence: "{shown}"; split it, or say it '
        "in everyday words (page /) (warning)"]
    knee.edit("content/site.yaml", "sentence_grade: {es: 12}", "sentence_grade: {es: 28}")
    assert home_warnings(run("check")) == []


def test_a_page_in_a_language_without_a_formula_is_noted_as_not_graded(knee, run):
    knee.edit("content/site.yaml", "language: en-CA", "language: am\ncountry: CA\nreading_grade: 1")
    result = run("check")
    assert result.status == 0 and home_warnings(result) == []
    report = home_report(knee)
    assert report["grade"] is None and report["target_grade"] is None
    assert report["findings"] == ["note: not graded: there is no reading-grade formula for the language am; have a "
                                  "reader of it check that the words are plain"]


def test_each_language_of_a_site_is_graded_by_its_formula_against_its_own_targets(knee, run, textstat_es):
    """A site in English and Spanish: its English pages against `en`'s targets, its Spanish ones
    (the home page's translation, with a hard sentence) against `es`'s, each by its own language's formula."""
    import textstat

    knee.edit("content/site.yaml", "language: en-CA",
              "languages: [en-CA, es-US]\nreading_grade: {en: 2, es: 4}\nsentence_grade: {en: 30, es: 12}")
    knee.write("content/index.es.md", "---\ntitle: Ejercicios para la rodilla y el equilibrio\n"
                                      f"summary: {SUMMARY}\nreviewed: 2026-12-01\nreviewed_by: Equipo de prueba\n"
                                      "translated_by: Traducción de prueba\n---\n"
                                      + BODY.replace("Pare y descanse.", f"Pare y descanse.\n{HARD}"))
    line = knee.read("content/index.es.md").split("\n").index(HARD) + 1
    lines = run("check").err.splitlines()
    report = {page["url"]: page for page in json.loads((knee.root / "output-report.json").read_text())}
    assert report["/"]["target_grade"] == 2 and report["/"]["grade"] > 2
    assert any(line.startswith(f"{HOME}: reading level: grade ") and "above the target of 2;" in line for line in lines)
    prose = PROSE.replace("Pare y descanse.", f"Pare y descanse. {HARD}")
    grade = grade_of_fernandez_huerta(textstat_es.fernandez_huerta(prose))
    assert report["es/"]["target_grade"] == 4 and report["es/"]["grade"] == grade == 12.1
    textstat.set_lang("en_US")
    assert round(textstat.flesch_kincaid_grade(prose), 1) != grade
    shown = "La rehabilitación multidisciplinaria interinstitucional … biopsicosociales."
    assert [line for line in lines if line.startswith("content/index.es.md")] == [
        f'content/index.es.md: reading level: grade 12.1, above the target of 4; shorten the longest sentences: '
        f'"{LONGEST}" / "{HARD}" (page es/) (warning)',
        f'content/index.es.md:{line}: sentence: grade 28, above the target of 12 for one sentence: "{shown}"; split '
        "it, or say it in everyday words (page es/) (warning)"]


@pytest.mark.parametrize(("written", "message"), [
    ("reading_grade: {en: eight}", 'reading_grade.en: expected a whole number, got "eight"'),
    ("reading_grade: {en: 0}", "reading_grade.en: expected a whole number of 1 or more, got 0"),
    ("sentence_grade: {en: 12, fr: 12}", 'sentence_grade.fr: "fr" is not one of the site\'s languages; give a grade '
                                         "for each of en by its code, such as sentence_grade: {en: 12}"),
    ("sentence_grade: {en: 12, EN-us: 11}", "sentence_grade.EN-us: a second grade for the language en; keep one"),
    ("reading_grade: [8, 8]", "reading_grade: expected a whole number, got a list"),
])
def test_a_bad_grade_target_is_an_error_naming_its_field_and_line(knee, run, written, message):
    knee.edit("content/site.yaml", "language: en-CA", f"language: en-CA\n{written}")
    line = knee.read("content/site.yaml").split("\n").index(written) + 1
    result = run("check")
    assert result.status == 1
    assert f"content/site.yaml:{line}: {message}" in result.errors
