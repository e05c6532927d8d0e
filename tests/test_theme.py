"""The default theme ships in the package; a project's templates folder overrides it file by file."""

from __future__ import annotations

import shutil

from pages import read_page


def test_a_project_with_only_content_builds_the_default_site(site, run):
    shutil.rmtree(site.root / "templates")
    assert run("-q").status == 0
    page = read_page(site.output / "exercises" / "bird-dog" / "index.html")
    assert "How much and how often" in page.text and "Stop and call your physical therapist" in page.text
    assert any(name.startswith("site.") for name in (path.name for path in (site.output / "assets").iterdir()))


def test_one_template_overridden_the_rest_from_the_theme(site, run):
    site.write("templates/404.html", '{% extends "base.html" %}{% block main %}<h1>Lost?</h1>'
                                     '<p>Call us.</p>{% endblock %}')
    assert run("-q").status == 0
    assert "<h1>Lost?</h1>" in (site.output / "404.html").read_text()
    assert "How much and how often" in (site.output / "exercises" / "bird-dog" / "index.html").read_text()


def test_a_template_extends_the_default_one_and_changes_one_block(site, run):
    site.write("templates/exercise.html", '{% extends "theme/exercise.html" %}\n{% block main %}'
                                          '<p class="notice">We are closed on Friday.</p>{{ super() }}{% endblock %}')
    assert run("-q").status == 0
    text = read_page(site.output / "exercises" / "bird-dog" / "index.html").text
    assert "We are closed on Friday. Example Physical Therapy" in text  # the notice, then the default page
    assert "How much and how often" in text
    assert "We are closed" not in (site.output / "clinics" / "index.html").read_text()


def test_a_base_template_override_changes_every_page_and_extends_the_default(site, run):
    site.write("templates/base.html", '{% extends "theme/base.html" %}\n{% block styles %}{{ super() }}'
                                      '<link rel="stylesheet" href="{{ asset(\'clinic.css\') }}">{% endblock %}')
    site.write("templates/assets/clinic.css", "h1 { color: #600; }\n")
    assert run("-q").status == 0
    for page in ("index.html", "clinics/index.html", "exercises/bird-dog/index.html"):
        assert 'href="' in (html := (site.output / page).read_text()) and "assets/clinic." in html
    [css] = (site.output / "assets").glob("clinic.*.css")
    assert css.read_text() == "h1{color:#600}"


def test_an_asset_overridden_by_name(site, run):
    site.write("templates/assets/favicon.svg", '<svg xmlns="http://www.w3.org/2000/svg"><title>ours</title></svg>')
    assert run("-q").status == 0
    assert "<title>ours</title>" in (site.output / "assets" / "favicon.svg").read_text()


def test_editing_an_override_changes_the_pages_on_the_next_build(site, run):
    footer = site.override("base.html")
    assert run("-q").status == 0
    site.edit(footer, "<footer class=\"site-footer\">", "<footer class=\"site-footer\"><p>Open late on Thursdays.</p>")
    assert run("-q").status == 0
    assert "Open late on Thursdays." in (site.output / "exercises" / "bird-dog" / "index.html").read_text()
    site.edit(footer, "<p>Open late on Thursdays.</p>", "")
    assert run("-q").status == 0
    assert "Open late on Thursdays." not in (site.output / "exercises" / "bird-dog" / "index.html").read_text()


def test_the_print_fit_estimate_reads_the_measures_the_theme_declares(site, run):
    measures = site.override("print-measures.yaml")
    assert run("-q").status == 0
    site.edit(measures, "page_height: 950.4", "page_height: 500")  # a theme whose sheets are half as tall
    result = run("-q")
    assert result.status == 0
    assert 'content/exercises/bird-dog.md: steps: "Bird Dog" may not print on one page' in result.err
    site.edit(measures, "page_height: 500", "page_height: tall")
    assert run("-q").errors == ["templates/print-measures.yaml: not the measures of printed sheets (ValueError: "
                                "could not convert string to float: 'tall'); see the default theme's "
                                "print-measures.yaml"]
