"""Generated front matter and YAML fed to the loader: always a page or a clean error, never a crash."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_gen.build.pipeline import BuildOptions, render_files
from site_gen.content.loader import load_content
from site_gen.content.problems import BuildFailed, Problems
from site_gen.kinds.dosage import DOSAGE_FIELDS
from site_gen.kinds.exercise import EXERCISE_FIELDS
from site_gen.kinds.topic import GROUP_FIELDS, TOPIC_FIELDS

ROOT = Path(__file__).resolve().parent.parent

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=40), st.sampled_from(["8:30", "01234", "no", "yes", "~", "2026-02-30",
                                                           "daily", "3-4 times a week", "flexion", "about 5",
                                                           "every other day", "10 minutes", "each side",
                                                           "spine-planes"]))
keys = st.sampled_from(DOSAGE_FIELDS + GROUP_FIELDS + ("text", "name", "x", "spine-planes", "flexion", "per_side"))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                      max_leaves=12)
front_matter = st.dictionaries(st.sampled_from(EXERCISE_FIELDS + ("plnae", "dosge", "plane")), values, max_size=12)
topic_front_matter = st.dictionaries(st.sampled_from(TOPIC_FIELDS + ("planes", "x")), values, max_size=8)


@pytest.fixture(scope="module")
def scratch():
    folder = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copytree(ROOT / "templates", folder / "templates")
    yield folder
    shutil.rmtree(folder)


def load(scratch: Path, data: bytes) -> None:
    (scratch / "content" / "exercises" / "fuzz.md").write_bytes(data)
    problems = Problems()
    content = load_content(scratch / "content", problems)
    for problem in problems.errors:
        assert str(problem).startswith(problem.path) and problem.message
    if problems.errors:  # the file is reported and left out; the rest of the content goes on
        assert any("fuzz.md" in problem.path for problem in problems.errors)
        assert content is not None and "exercises/fuzz.md" in content.unloaded
    else:
        assert "exercises/fuzz.md" not in content.unloaded


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_any_bytes(scratch, data):
    load(scratch, data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_between_front_matter_lines(scratch, text):
    load(scratch, f"---\n{text}\n---\nBody.\n".encode("utf-8", "surrogatepass"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front_matter, st.text(max_size=200))
def test_any_structured_front_matter_builds_or_fails_cleanly(scratch, data, body):
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (scratch / "content" / "exercises" / "fuzz.md").write_text(f"---\n{text}---\n{body}\n", encoding="utf-8",
                                                                errors="surrogatepass")
    options = BuildOptions(content=scratch / "content", templates=scratch / "templates", output=scratch / "output")
    try:
        render_files(options)
    except BuildFailed as failed:
        assert failed.problems and all(problem.message for problem in failed.problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(topic_front_matter, st.text(max_size=100))
def test_any_topic_front_matter_builds_or_fails_cleanly(scratch, data, body):
    path = scratch / "content" / "fuzz-topic.md"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{text}---\n{body}\n", encoding="utf-8", errors="surrogatepass")
    options = BuildOptions(content=scratch / "content", templates=scratch / "templates", output=scratch / "output")
    try:
        render_files(options)
    except BuildFailed as failed:
        assert failed.problems and all(problem.message for problem in failed.problems)
    finally:
        path.unlink()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["name", "phone", "latitude", "hours", "closures", "timezone", "services",
                                        "website", "postal_code", "x"]), values, max_size=8))
def test_any_clinic_yaml(scratch, data):
    path = scratch / "content" / "clinics" / "fuzz.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8", errors="surrogatepass")
    try:
        problems = Problems()
        content = load_content(scratch / "content", problems)
        assert content is not None
        assert ("clinics/fuzz.yaml" in content.unloaded) == bool(problems.errors)
    finally:
        path.unlink()
