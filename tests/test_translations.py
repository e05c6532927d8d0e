"""Translations as content: `clamshells.fr.md` beside `clamshells.md` publishes the page in French under
fr/, with the source's figures; a translation that gives a figure, a translation without a source or
in a language site.yaml does not list, is named with its file, line and field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import Site
from test_regions import FIXTURE, TODAY

CLAMSHELLS_FR = """---
title: Palourdes
summary: Renforce les muscles de la hanche qui gardent le genou aligné.
muscles:
  - muscles de la cuisse et de la hanche
steps:
  - Allongez-vous sur le côté, les genoux pliés.
  - Gardez les pieds joints et levez le genou du dessus.
  - Redescendez-le lentement.
safety:
  - Bougez lentement. Arrêtez si vous sentez une douleur vive.
reviewed: 2026-11-20
reviewed_by: Équipe clinique (test)
translated_by: Traduction de test
---
Votre physiothérapeute peut changer la quantité à mesure que vous devenez plus fort. Voyez aussi
[les fentes](step-ups.md) et [la page des genoux](../knee-basics.md).
"""


@pytest.fixture
def knee(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The knee and balance fixture in English and French, with one exercise translated."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE / "content", root / "content")
    monkeypatch.chdir(root)
    site = Site(root)
    site.edit("content/site.yaml", "language: en-CA", "languages: [en-CA, fr-CA]")
    site.write("content/exercises/clamshells.fr.md", CLAMSHELLS_FR)
    return site


def build(run):
    return run("--content", "content", "--output", "output", "-q", "--today", TODAY)


def errors(result) -> list[str]:
    """The build's errors, its warnings left out (French has no catalog of the theme's words: a warning)."""
    return [line for line in result.errors if not line.endswith("(warning)")]


def test_a_translation_is_published_in_its_languages_folder_with_the_sources_figures(knee, run):
    result = build(run)
    assert result.status == 0, result.err
    english = knee.read("output/exercises/clamshells/index.html")
    french = knee.read("output/fr/exercises/clamshells/index.html")
    assert '<html lang="fr-CA">' in french and '<h1 class="sheet-title">Palourdes</h1>' in french
    assert "Allongez-vous sur le côté" in french and "Lie on your side" not in french
    # The dosage is the source's: the same numbers, on both pages.
    numbers = [re.findall(r"\d+", re.search(r'class="dosage-summary">([^<]*)<', page).group(1))
               for page in (english, french)]
    assert numbers[0] == numbers[1] == ["2", "10"]
    # Not translated: not published in French, and not listed there.
    assert not (knee.output / "fr" / "exercises" / "step-ups").exists()
    listing = knee.read("output/fr/exercises/index.html")
    assert 'href="clamshells/"' in listing and "step-ups/" not in listing


def test_links_in_a_translation_lead_to_its_language_else_to_the_source_language(knee, run):
    knee.write("content/knee-basics.fr.md", knee.read("content/knee-basics.md").replace(
        "---\n", "---\ntranslated_by: Test\nreviewed: 2026-11-20\nreviewed_by: Test\n", 1))
    assert build(run).status == 1  # its groups are not translated: each one is named
    knee.write("content/knee-basics.fr.md", "")
    (knee.content / "knee-basics.fr.md").unlink()
    assert build(run).status == 0
    french = knee.read("output/fr/exercises/clamshells/index.html")
    # step-ups is not translated: its English page, said to be in English; the topic is not either.
    # (French has no catalog of the theme's words: the message is English, the language's name French.)
    assert '<a data-in-language="(in anglais)" href="../../../exercises/step-ups/" hreflang="en-CA">' in french
    assert '<a data-in-language="(in anglais)" href="../../../knee-basics/" hreflang="en-CA">' in french
    # Links between pages of one language say nothing of it.
    assert "data-in-language" not in knee.read("output/exercises/clamshells/index.html")


def test_a_translation_that_gives_a_figure_is_refused_naming_the_field_and_line(knee, run):
    knee.edit("content/exercises/clamshells.fr.md", "steps:\n", "dosage:\n  reps: 12\nsteps:\n")
    result = build(run)
    assert result.status == 1
    assert errors(result) == [
        "content/exercises/clamshells.fr.md:6: dosage: comes from clamshells.md only: a translation gives words, "
        "not figures; delete it here (a translation may give title, summary, muscles, equipment, steps, safety, "
        "quote, measure, pictures, dosage_words, reviewed, reviewed_by or translated_by)"]


def test_a_translation_says_who_translated_it_and_when_it_was_reviewed(knee, run):
    knee.edit("content/exercises/clamshells.fr.md", "translated_by: Traduction de test\n", "")
    result = build(run)
    assert result.status == 1
    assert errors(result) == ["content/exercises/clamshells.fr.md:2: translated_by: missing; expected text"]


def test_a_translation_in_a_language_the_site_does_not_list_is_named(knee, run):
    shutil.copy(knee.content / "exercises" / "clamshells.fr.md", knee.content / "exercises" / "clamshells.de.md")
    result = build(run)
    assert result.status == 1
    assert errors(result) == [
        'content/exercises/clamshells.de.md: a translation into "de", which site.yaml\'s languages do not list; '
        "add it there (languages: [en, fr, de]) or rename the file"]


def test_a_translation_left_behind_by_a_deleted_page_is_a_warning(knee, run):
    shutil.copy(knee.content / "exercises" / "clamshells.fr.md", knee.content / "exercises" / "lunges.fr.md")
    result = build(run)
    assert result.status == 0
    assert "content/exercises/lunges.fr.md: not published: no lunges.md beside it to translate" in result.err


def test_a_programs_notes_translate_by_exercise_and_its_exercises_stay_the_sources(knee, run):
    knee.write("content/programs/knee-start.fr.yaml",
               "title: Début pour le genou\nsummary: Cinq exercices pour commencer.\n"
               "notes:\n  knee-slides: Demandez jusqu'où plier.\n"
               "reviewed: 2026-11-20\nreviewed_by: Test\ntranslated_by: Test\n")
    assert build(run).status == 0
    page = knee.read("output/fr/programs/knee-start/index.html")
    assert "Début pour le genou" in page
    packet = knee.read("output/fr/programs/knee-start/print.html")
    assert "Demandez jusqu&#39;où plier." in packet or "Demandez jusqu'où plier." in packet
    assert "Palourdes" in packet  # translated exercises in the program's language, the others as they are
    knee.edit("content/programs/knee-start.fr.yaml", "knee-slides:", "step-ups:")
    result = build(run)
    assert result.status == 1
    assert any("knee-start.fr.yaml" in line and "notes.step-ups" in line for line in result.errors)
    assert any("knee-start.fr.yaml" in line and "missing the note for knee-slides" in line for line in result.errors)


def test_the_sites_words_translate_in_site_yaml_translation(knee, run):
    knee.write("content/site.fr.yaml", "title: Exercices pour le genou\n"
                                       "services:\n  knee pain: douleur au genou\n")
    assert build(run).status == 0
    assert "<title>Palourdes · Exercices pour le genou</title>" in knee.read("output/fr/exercises/clamshells/index.html")
    knee.edit("content/site.fr.yaml", "title:", "phone: 555\ntitle:")
    result = build(run)
    assert result.status == 1
    assert errors(result) == ["content/site.fr.yaml:1: phone: comes from site.yaml only; a translation of it gives "
                             "title, clinic, disclaimer or services"]


def test_pages_name_their_alternates_both_ways_and_the_sitemap_lists_them(knee, run):
    assert build(run).status == 0
    english = knee.read("output/exercises/clamshells/index.html")
    french = knee.read("output/fr/exercises/clamshells/index.html")
    for page in (english, french):
        assert '<link rel="alternate" hreflang="en-CA" href="https://knee.example.net/exercises/clamshells/">' in page
        assert '<link rel="alternate" hreflang="fr-CA" href="https://knee.example.net/fr/exercises/clamshells/">' in page
        assert '<link rel="alternate" hreflang="x-default" href="https://knee.example.net/exercises/clamshells/">' in page
    assert 'hreflang="fr-CA"' not in knee.read("output/exercises/step-ups/index.html")  # no French page
    sitemap = knee.read("output/sitemap.xml")
    assert "<loc>https://knee.example.net/fr/exercises/clamshells/</loc>" in sitemap
    assert sitemap.count('<xhtml:link rel="alternate" hreflang="fr-CA" '
                         'href="https://knee.example.net/fr/exercises/clamshells/"/>') == 2


def test_a_dosages_own_words_translate_with_the_sources_numbers(knee, run):
    source = knee.read("content/exercises/heel-toe-walk.md")
    knee.write("content/exercises/heel-toe-walk.fr.md", CLAMSHELLS_FR.replace("Palourdes", "Marche talon-pointe")
               .replace("steps:", "dosage_words:\n  action: Marchez\n  distance: la longueur de 2 couloirs\nsteps:"))
    assert "distance: the length of a hallway" in source
    result = build(run)
    assert result.status == 1
    assert errors(result) == [
        "content/exercises/heel-toe-walk.fr.md:8: dosage_words.distance: its numbers must be the source's "
        '("the length of a hallway"): a translation gives words, not figures']
    knee.edit("content/exercises/heel-toe-walk.fr.md", "de 2 couloirs", "d'un couloir")
    assert build(run).status == 0
    assert "Marchez la longueur d&#39;un couloir." in knee.read("output/fr/exercises/heel-toe-walk/index.html")


KNEE_BASICS_FR = """---
title: Comment fonctionne votre genou
summary: Votre genou se tend et se plie. Des hanches fortes l'aident aussi.
menu: Le genou
groups:
  straighten:
    name: Tendre le genou
    technical: extension du genou
    description: Les muscles de l'avant de la cuisse tendent le genou.
  bend:
    name: Plier le genou
    technical: ischio-jambiers
    description: Les muscles de l'arrière de la cuisse plient le genou.
  hips:
    name: Des hanches fortes
    description: Les muscles de la hanche gardent le genou aligné.
reviewed: 2026-11-20
reviewed_by: Test
translated_by: Test
---
Votre genou est une charnière.
"""


def test_a_topic_names_its_groups_exercises_not_translated_yet_and_counts_them_as_training_it(knee, run):
    knee.write("content/knee-basics.fr.md", KNEE_BASICS_FR)
    assert build(run).status == 0
    page = knee.read("output/fr/knee-basics/index.html")
    section = page[page.index('id="straighten"'):page.index('id="bend"')]
    # Quad sets and step-ups straighten the knee; neither is in French: named apart, said to be English.
    assert "Not translated yet: " in section and "Quad Sets" in section and "(in anglais)" in section
    assert "No exercise in this library trains this yet" not in section
    assert 'class="card-title"' not in section  # not listed as the group's French exercises
    hips = page[page.index('id="hips"'):]
    assert "Palourdes" in hips[:hips.index("</section>")]  # translated: listed
    coverage = page[page.index('class="coverage"'):]
    assert 'class="missing"' not in coverage and "not covered yet" not in coverage
