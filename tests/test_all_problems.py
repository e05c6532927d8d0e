"""Every problem of a build in one report: a file with errors is left out and the build goes on,
so one mistake hides no other; nothing is blamed twice for one mistake."""

from __future__ import annotations

BIRD = "content/exercises/bird-dog.md"
SITE = "content/site.yaml"
PROGRAM = "content/programs/back-care-basics.yaml"


def test_a_deleted_exercise_and_the_site_settings_naming_it_all_at_once(site, run):
    (site.content / "exercises" / "pallof-press.md").unlink()
    (site.content / "exercises" / "pallof-press.es.md").unlink()  # and its translation
    site.edit(SITE, "sports injury: [pallof-press]", "sports injury: [pallof-press, bird-dgo]")
    result = run()
    assert result.status == 1
    assert result.errors == [
        f'{PROGRAM}:8: exercises item 3.exercise: no exercise "pallof-press"; expected the name of a file in '
        "content/exercises/, such as bird-dog",
        f'{SITE}:15: services.back pain: no exercise "pallof-press"; expected the name of a file in content/exercises/',
        f'{SITE}:17: services.sports injury: no exercise "bird-dgo" (did you mean "bird-dog"?); expected the name of '
        "a file in content/exercises/",
        f'{SITE}:17: services.sports injury: no exercise "pallof-press"; expected the name of a file in '
        "content/exercises/",
    ]
    assert result.err.splitlines()[-1].startswith("Build failed: 4 errors.")


def test_a_bad_field_in_one_file_hides_no_broken_link_in_another(site, run):
    site.edit(BIRD, "  reps: 15", "  reps: fifteen")
    site.edit("content/index.md", "[Find an Example Physical Therapy clinic near you](/clinics/)",
              "[Find an Example Physical Therapy clinic near you](/clinic/)")
    result = run()
    assert result.errors == [
        f'{BIRD}:10: dosage.reps: expected a whole number, got "fifteen"',
        'content/index.md:23: link: no page at "/clinic/" (did you mean "/clinics/"?)',
    ]
    assert result.err.splitlines()[-1].startswith("Build failed: 2 errors.")


def test_a_file_left_out_is_not_blamed_again_by_what_links_to_it(site, run):
    # The program lists it, an exercise links to it, site.yaml's services name it: its own error is the one.
    site.edit(BIRD, "  reps: 15", "  reps: 1.5")
    site.edit("content/exercises/pallof-press.md", "## Tips", "See also [the bird dog](bird-dog.md).\n\n## Tips")
    result = run()
    assert result.errors == [f"{BIRD}:10: dosage.reps: expected a whole number, got 1.5"]


def test_a_topic_left_out_is_not_blamed_by_the_exercises_naming_it(site, run):
    site.edit("content/spine-planes.md", "coverage: true", "coverage: maybe")
    result = run()
    assert result.errors == ['content/spine-planes.md:7: coverage: expected true or false, got "maybe"']


def test_a_template_error_hides_no_content_problem_and_its_pages_are_not_blamed_as_missing(site, run):
    clinic = site.override("clinic.html")
    site.edit(clinic, "<h1>{{ clinic.name }}</h1>", "<h1>{{ clinic.nickname }}</h1>")
    site.edit(BIRD, "## Tips", "Read [the guide](nowhere.md).\n\n## Tips")
    result = run()
    clinics = len(list((site.content / "clinics").glob("*.yaml")))
    template_errors = [line for line in result.errors if line.startswith("templates/clinic.html")]
    # Each clinic's page, in each of the shipped site's two languages, and no "leads to no page" for them.
    assert len(template_errors) == 2 * clinics
    assert [line for line in result.errors if not line.startswith("templates/")] == [
        f'{BIRD}:{site.read(BIRD).split(chr(10)).index("Read [the guide](nowhere.md).") + 1}: link: no page or '
        'image is made from "exercises/nowhere.md" (did you mean "exercises/pallof-press.md"?)']
