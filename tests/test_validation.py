"""Every kind of content mistake gets one exact line: file, line, field, what is allowed."""

from __future__ import annotations

import pytest

BIRD = "content/exercises/bird-dog.md"
CARY = "content/clinics/cary.yaml"

# (file, text to replace, replacement, the exact error line)
EDITS = [
    pytest.param(BIRD, "topics:", "topcs:",
                 [f'{BIRD}:3: topcs: unknown field (did you mean "topics"?)'],
                 id="unknown-key-suggests"),
    pytest.param(BIRD, "  reps: 15", "  reps: fifteen",
                 [f'{BIRD}:10: dosage.reps: expected a whole number, got "fifteen"'], id="wrong-type-reps"),
    pytest.param(BIRD, "  reps: 15", "  reps: 1.5",
                 [f"{BIRD}:10: dosage.reps: expected a whole number, got 1.5"], id="fractional-reps"),
    pytest.param(BIRD, "  reps: 15", "  reps: 0",
                 [f"{BIRD}:10: dosage.reps: expected a whole number of 1 or more, got 0"], id="zero-reps"),
    pytest.param(BIRD, "  reps: 15", "  reps: -3",
                 [f"{BIRD}:10: dosage.reps: expected a whole number of 1 or more, got -3"], id="negative-reps"),
    pytest.param(BIRD, "spine-planes: flexion", "spine-planes: flexon",
                 [f'{BIRD}:4: topics.spine-planes: "flexon" is not a group of content/spine-planes.md (did you mean '
                  '"flexion"?); expected one of flexion, extension, rotation, side-bending or mobility'],
                 id="unknown-group"),
    pytest.param(BIRD, "spine-planes: flexion", "spine-plains: flexion",
                 [f'{BIRD}:4: topics.spine-plains: no topic "spine-plains" (did you mean "spine-planes"?); expected '
                  "the name of a topic page in content/ (without .md), such as spine-planes"], id="unknown-topic"),
    pytest.param(BIRD, "spine-planes: flexion", "spine-planes:",
                 [f"{BIRD}:4: topics.spine-planes: name its group in content/spine-planes.md: flexion, extension, "
                  "rotation, side-bending or mobility"], id="topic-without-its-group"),
    pytest.param(BIRD, "topics:\n  spine-planes: flexion", "plane: flexion",
                 [f'{BIRD}:3: plane: no longer used; in its place write "topics:" and, on the next line, indented '
                  'by two spaces, "spine-planes: flexion"'], id="old-plane-field"),
    pytest.param(BIRD, "  side: each side", "  per_side: true",
                 [f'{BIRD}:11: dosage.per_side: no longer used; write "side: each side" in its place (or leave '
                  "side out)"], id="old-per-side-field"),
    pytest.param(BIRD, "  side: each side", "  side: both",
                 [f'{BIRD}:11: dosage.side: "both" is not allowed; expected one of each side, left only, right only '
                  "or affected side"], id="unknown-side"),
    pytest.param(BIRD, "  frequency: daily", "  duration: 10",
                 [f'{BIRD}:12: dosage.duration: expected a time with its unit, such as "10 minutes", "30 seconds" or '
                  '"about 1 minute", got "10"'], id="duration-without-unit"),
    pytest.param(BIRD, "  frequency: daily", "  rest: 30 seconds",
                 [f"{BIRD}:12: dosage.rest: is the rest between sets; give sets too, or leave rest out"],
                 id="rest-without-sets"),
    pytest.param(BIRD, "summary: Wakes up a deep belly muscle that helps hold your spine steady.\n", "",
                 [f"{BIRD}:2: summary: missing; expected text"], id="missing-required"),
    pytest.param(BIRD, "summary: Wakes up a deep belly muscle that helps hold your spine steady.", 'summary: ""',
                 [f"{BIRD}:5: summary: must not be empty"], id="empty-string"),
    pytest.param(BIRD, "muscles:\n  - transverse", "muscles: transverse",
                 [f'{BIRD}:6: muscles: expected a list, one "- item" per line, got "transverse abdominis '
                  '(a deep belly muscle that wraps around your middle)"'], id="text-instead-of-list"),
    pytest.param(BIRD, "  frequency: daily", "  frequency: sometimes",
                 [f'{BIRD}:12: dosage.frequency: expected "daily", "every other day", "N times a day", "once a week", '
                  '"twice a week", "once or twice a week", "N times a week", "N-M times a week" or "as your '
                  'therapist tells you", got "sometimes"'],
                 id="unknown-frequency"),
    pytest.param(BIRD, "  reps: 15", "  spread_over_day: both",
                 [f'{BIRD}:10: dosage.spread_over_day: expected true or false, got "both"'], id="not-a-boolean"),
    pytest.param(BIRD, "  name: Nicholas Hershfield\n", "",
                 [f"{BIRD}:27: quote.name: missing; expected text"], id="quote-needs-attribution"),
    pytest.param(BIRD, "(../spine-planes.md#flexion)", "(../spine-plane.md#flexion)",
                 [f'{BIRD}:41: link: no page or image is made from "spine-plane.md" (did you mean "spine-planes.md"?)'],
                 id="link-to-missing-page"),
    pytest.param(BIRD, "(../spine-planes.md#flexion)", "(/clinic/)",
                 [f'{BIRD}:41: link: no page at "/clinic/" (did you mean "/clinics/"?)'], id="link-to-missing-path"),
    pytest.param(BIRD, "(../spine-planes.md#flexion)", "(javascript:alert(1))",
                 [f'{BIRD}:41: link: "javascript:alert(1)" is not allowed; links start with https:, http:, mailto: '
                  "or tel:, or point to a page of this site"], id="javascript-link"),
    pytest.param(BIRD, "title: Bird Dog", "title: Bird Dog\ntitle: Bird Dog",
                 [f"{BIRD}:3: title: given twice; keep one"], id="key-given-twice"),
    pytest.param(BIRD, "title: Bird Dog", 'title: "Bird \\u202eDog"',
                 [f"{BIRD}:2: title: contains an invisible control character (U+202E) that can hide or reorder text; "
                  "delete it and type the text again"], id="bidi-override"),
    pytest.param(BIRD, "(../spine-planes.md#flexion)", "(../spine-planes.md#flexion)\v",
                 [f"{BIRD}:41: an invisible control character (U+000B) that can hide or reorder text; delete it "
                  "and type the text again"], id="control-character-in-text"),
    pytest.param(CARY, 'postal_code: "27511"', "postal_code: 01234",
                 [f'{CARY}:5: postal_code: got 01234, which YAML reads as the number 668; put it in quotes: "01234"'],
                 id="yaml-octal"),
    pytest.param(CARY, "city: Cary", "city: no",
                 [f'{CARY}:3: city: got no, which YAML reads as false; put it in quotes: "no"'], id="yaml-boolean"),
    pytest.param(CARY, 'tuesday: "07:00-19:00"', "tuesday: 8:30",
                 [f'{CARY}:13: hours.tuesday: got 8:30, which YAML reads as the number 510; write opening hours in quotes, such as "08:30-17:00", or closed'],
                 id="yaml-sexagesimal"),
    pytest.param(CARY, 'tuesday: "07:00-19:00"', 'tuesday: "07:00-25:00"',
                 [f'{CARY}:13: hours.tuesday: "25:00" is not a time of day; use 00:00 to 23:59 (24:00 for midnight)'],
                 id="hour-25"),
    pytest.param(CARY, 'tuesday: "07:00-19:00"', 'tuesday: "07:00-07:00"',
                 [f'{CARY}:13: hours.tuesday: opens and closes at 07:00; write "00:00-24:00" for open 24 hours, '
                  f"or closed"], id="opens-and-closes-at-once"),
    pytest.param(CARY, "latitude: 35.7882", "latitude: 123",
                 [f"{CARY}:8: latitude: expected a number from -90 to 90, got 123"], id="latitude-out-of-range"),
    pytest.param(CARY, 'phone: "919-555-0103"', 'phone: "555-0103"',
                 [f'{CARY}:7: phone: expected a 10-digit phone number such as "919-555-0100", got "555-0103"'],
                 id="invalid-phone"),
    pytest.param(CARY, "website: https://example.com/cary", "website: javascript:alert(1)",
                 [f'{CARY}:22: website: expected an address starting with https:, got "javascript:alert(1)"'],
                 id="javascript-website"),
    pytest.param(CARY, "website: https://example.com/cary", "website: data:text/html,hi",
                 [f'{CARY}:22: website: expected an address starting with https:, got "data:text/html,hi"'],
                 id="data-website"),
    pytest.param(CARY, "timezone: America/New_York", "timezone: America/Cary",
                 [f'{CARY}:10: timezone: "America/Cary" is not a time zone; use a name such as "America/New_York"'],
                 id="unknown-timezone"),
    pytest.param(CARY, "services: [back pain,", "services: [back pains,",
                 [f'{CARY}:19: services: "back pains" is not one of the services in site.yaml (did you mean '
                  '"back pain"?); expected back pain, neck pain, sports injury, pelvic health, post-surgery rehab '
                  "or balance and falls"], id="unknown-service"),
    pytest.param(CARY, "email: cary@example.com", "email: cary at example",
                 [f'{CARY}:23: email: expected an email address such as "front-desk@example.com", got "cary at example"'],
                 id="invalid-email"),
    pytest.param("content/site.yaml", "base_url: https://backcare.example.org/", "base_url: backcare.example.org",
                 ['content/site.yaml:4: base_url: expected an address starting with https: or http:, '
                  'got "backcare.example.org"'], id="base-url-without-scheme"),
]


def snapshot(folder):
    return {path.relative_to(folder): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in folder.rglob("*") if path.is_file()}


@pytest.fixture
def last_good_site(site, run):
    """A good build in output/, to check that a failed build leaves it byte for byte."""
    assert run("-q").status == 0
    return snapshot(site.output)


@pytest.mark.parametrize("rel, old, new, expected", EDITS)
def test_each_mistake_gets_one_exact_message(site, run, last_good_site, rel, old, new, expected):
    site.edit(rel, old, new)
    result = run()
    assert result.status == 1
    assert result.errors == expected
    assert "Traceback" not in result.err
    assert snapshot(site.output) == last_good_site


WHOLE_FILES = [
    pytest.param("title: Cat\n", ["content/exercises/cat.md:1: no front matter: the file must start with a line of "
                                  "three dashes (---), then the fields, then another --- line"], id="no-front-matter"),
    pytest.param("---\ntitle: Cat\n", ["content/exercises/cat.md:1: the front matter opened with --- on line 1 is "
                                       "never closed; add a line of three dashes (---) after the fields"],
                 id="front-matter-not-closed"),
    pytest.param("", ["content/exercises/cat.md:1: the file is empty; it needs front matter between --- lines"],
                 id="empty-file"),
    pytest.param("---\ntitle: Cat\n\tplane: flexion\n---\n",
                 ["content/exercises/cat.md:3: a tab is used for indentation; indent with spaces"], id="tab-indent"),
    pytest.param("---\ntitle: Cat: Cow\n---\n",
                 ["content/exercises/cat.md:2: YAML syntax error: a ': ' inside a value; put the value in quotes"],
                 id="colon-in-value"),
    pytest.param("---\nmuscles: [calves\n---\n",
                 ["content/exercises/cat.md:3: YAML syntax error: while parsing a flow sequence did not find "
                  "expected ',' or ']'"], id="yaml-syntax-error"),
    pytest.param(b"---\ntitle: Caf\xe9\n---\n",
                 ["content/exercises/cat.md:2: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"],
                 id="not-utf8"),
]


@pytest.mark.parametrize("text, expected", WHOLE_FILES)
def test_broken_files_get_one_exact_message(site, run, last_good_site, text, expected):
    site.write("content/exercises/cat.md", text)
    result = run()
    assert result.status == 1
    assert result.errors == expected
    assert "Traceback" not in result.err
    assert snapshot(site.output) == last_good_site


def test_a_byte_order_mark_is_accepted(site, run):
    path = site.content / "exercises" / "bird-dog.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run().status == 0


def test_duplicate_slug_names_both_files(site, run):
    text = site.read(BIRD).replace("title: Bird Dog", "title: Bird Dog Again\nslug: bird-dog")
    site.write("content/exercises/bird-dog-again.md", text)
    result = run()
    assert result.errors == [
        'content/exercises/bird-dog.md: slug: "bird-dog" is already used by content/exercises/bird-dog-again.md; '
        "each needs its own"
    ]


@pytest.mark.parametrize("slug", ["../escape", "a/b", "Bird Dog"])
def test_slug_cannot_leave_its_folder(site, run, slug):
    site.edit(BIRD, "title: Bird Dog", f'title: Bird Dog\nslug: "{slug}"')
    result = run()
    assert result.errors == [f'{BIRD}:3: slug: "{slug}" cannot be used in a web address; use lower-case letters, '
                             'digits and dashes, such as "bird-dog"']


def test_all_errors_of_a_build_are_listed_together(site, run):
    site.edit(BIRD, "  reps: 15", "  reps: fifteen")
    site.edit(CARY, "latitude: 35.7882", "latitude: 123")
    site.edit("content/exercises/pallof-press.md", "spine-planes: rotation", "spine-planes: twist")
    result = run()
    assert result.status == 1
    assert len(result.errors) == 3
    assert result.err.splitlines()[-1].startswith("Build failed: 3 errors.")


def test_failed_build_leaves_previous_output_byte_for_byte(site, run):
    assert run().status == 0
    before = {p.relative_to(site.output): (p.read_bytes(), p.stat().st_mtime_ns)
              for p in site.output.rglob("*") if p.is_file()}
    site.edit(BIRD, "  reps: 15", "  reps: fifteen")
    assert run().status == 1
    after = {p.relative_to(site.output): (p.read_bytes(), p.stat().st_mtime_ns)
             for p in site.output.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".output")] == []


def test_a_template_the_routes_need_and_no_theme_folder_has_is_named(tmp_path):
    from site_gen.build.theme import Theme, check_templates
    from site_gen.content.problems import Problems

    problems = Problems()
    check_templates(Theme((tmp_path,)), {"exercise.html"}, problems)
    assert [str(problem) for problem in problems.errors] == [
        f"{tmp_path}/exercise.html: missing template; the site needs it to make its pages"]


def test_template_syntax_error_names_file_and_line(site, run):
    clinic = site.override("clinic.html")
    site.edit(clinic, "{% block main %}", "{% block main %}\n{% if %}")
    line = site.read(clinic).splitlines().index("{% if %}") + 1
    result = run()
    assert result.errors == [f"templates/clinic.html:{line}: template: Expected an expression, "
                             "got 'end of statement block'"]


def test_undefined_variable_in_template_names_file_and_line(site, run):
    clinic = site.override("clinic.html")
    site.edit(clinic, "<h1>{{ clinic.name }}</h1>", "<h1>{{ clinic.nickname }}</h1>")
    line = site.read(clinic).splitlines().index("<h1>{{ clinic.nickname }}</h1>") + 1
    result = run()
    # One per clinic page, in each of the shipped site's two languages.
    assert len(result.errors) == 2 * len(list((site.content / "clinics").glob("*.yaml")))
    assert result.errors[0] == (f"templates/clinic.html:{line}: rendering clinics/aurora/index.html: UndefinedError: "
                                "'site_gen.kinds.clinic.Clinic object' has no attribute 'nickname'")


def test_program_naming_a_missing_exercise(site, run):
    site.edit("content/programs/back-care-basics.yaml", "exercise: pallof-press", "exercise: palof-press")
    result = run()
    assert result.errors == [
        'content/programs/back-care-basics.yaml:8: exercises item 3.exercise: no exercise "palof-press" '
        '(did you mean "pallof-press"?); expected the name of a file in content/exercises/, such as bird-dog'
    ]


def test_program_dosage_is_validated_like_an_exercise(site, run):
    site.edit("content/programs/back-care-basics.yaml", "  - exercise: pallof-press",
              "  - exercise: pallof-press\n    dosage:\n      reps: ten")
    result = run()
    assert result.errors == ['content/programs/back-care-basics.yaml:10: exercises item 3.dosage.reps: '
                             'expected a whole number, got "ten"']
