"""Every page's JSON-LD is in the schema.org vocabulary: each object, assigned in TypeScript to the
schema-dts type its @type names, type-checks with `tsc --strict`, so that every property it gives
belongs to its type (as search engines' validators read it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import skip_or_fail
from pages import html_pages, read_page
from test_international import build, make_world

ROOT = Path(__file__).resolve().parent.parent
KNEE = Path(__file__).resolve().parent / "sites" / "knee-and-balance"
# As .ci/run installs them, outside the project: the typings of schema.org and the compiler.
TYPES_DIR = Path("/opt/schema-dts")
VERSIONS = {"schema-dts": "2.1.0", "typescript": "7.0.2"}
INSTALL = ("npm install --ignore-scripts --prefix /opt/schema-dts "
           + " ".join(f"{name}@{version}" for name, version in VERSIONS.items())
           + ", or set SCHEMA_DTS_DIR to a folder holding both in its node_modules")


@pytest.fixture(scope="session")
def type_check(tmp_path_factory: pytest.TempPathFactory):
    """Given a built site, the JSON-LD objects of its pages that do not type-check, as
    `page: tsc's message` lines. Skips without Node, TypeScript or schema-dts, saying how to install
    them; fails instead under REQUIRE_BROWSER=1 (as .ci/run sets), like the browser fixture."""
    folder = Path(os.environ.get("SCHEMA_DTS_DIR") or TYPES_DIR)
    modules = folder / "node_modules"
    reason = None
    if shutil.which("node") is None:
        reason = "no node found (Debian: apt-get install nodejs)"
    elif not (modules / ".bin" / "tsc").exists() or not (modules / "schema-dts" / "package.json").is_file():
        reason = f"no TypeScript and schema-dts in {folder} ({INSTALL})"
    else:
        installed = {name: json.loads((modules / name / "package.json").read_text())["version"] for name in VERSIONS}
        if installed != VERSIONS:
            reason = f"{folder} holds {installed}, not the versions this test was written for ({INSTALL})"
    if reason:
        skip_or_fail(reason)

    def problems(output: Path) -> list[str]:
        work = tmp_path_factory.mktemp("jsonld")
        (work / "node_modules").symlink_to(modules)
        source, owners = typescript_of(output)
        (work / "pages.ts").write_text(source, encoding="utf-8")
        ran = subprocess.run([str(modules / ".bin" / "tsc"), "--strict", "--noEmit", "--skipLibCheck",
                              "--pretty", "false", "pages.ts"], cwd=work, capture_output=True, text=True, timeout=300)
        found = []
        for line in ran.stdout.splitlines():
            if line.startswith("pages.ts("):
                number = int(line[len("pages.ts("):].split(",")[0])
                found.append(f"{owners[number]}: {line.split(': ', 1)[1]}")
            elif line.strip():
                found.append(line)
        assert found or ran.returncode == 0, ran.stdout + ran.stderr
        return found

    return problems


def typescript_of(output: Path) -> tuple[str, dict[int, str]]:
    """A TypeScript file assigning each page's JSON-LD to the schema-dts type of its @type, and the
    page each of its lines comes from."""
    lines = ['import type * as schema from "schema-dts";', ""]
    owners: dict[int, str] = {}
    count = 0
    for path in html_pages(output):
        page = path.relative_to(output).as_posix()
        for data in read_page(path).json_ld:
            assert isinstance(data, dict) and isinstance(data.get("@type"), str), f"{page}: {data!r}"
            count += 1
            start = len(lines) + 1
            lines += f"export const page{count}: schema.WithContext<schema.{data['@type']}> = {json.dumps(data, indent=1)};".splitlines()
            owners.update({number: page for number in range(start, len(lines) + 1)})
    assert count, f"no JSON-LD in {output}"
    return "\n".join(lines) + "\n", owners


def test_the_shipped_sites_structured_data_type_checks(type_check, built_site):
    assert type_check(built_site) == []


def test_the_knee_sites_structured_data_type_checks(type_check, tmp_path):
    shutil.copytree(KNEE / "content", tmp_path / "content")
    assert type_check(build(tmp_path)) == []


def test_clinics_in_several_countries_type_check(type_check, tmp_path):
    assert type_check(build(make_world(tmp_path))) == []


def test_a_property_outside_the_type_is_found(type_check, tmp_path):
    """The check can fail: a Physiotherapy business offering services, as clinics were described
    before, is refused (schema.org gives availableService to clinics, hospitals and physicians)."""
    output = tmp_path / "output"
    (output / "clinics").mkdir(parents=True)
    data = {"@context": "https://schema.org", "@type": "Physiotherapy", "name": "A clinic",
            "availableService": [{"@type": "MedicalTherapy", "name": "back pain"}]}
    (output / "clinics" / "index.html").write_text(
        f'<script type="application/ld+json">{json.dumps(data)}</script>', encoding="utf-8")
    [problem] = type_check(output)
    assert problem.startswith("clinics/index.html: error TS2353: Object literal may only specify known properties, "
                              "and '\"availableService\"' does not exist in type 'PhysiotherapyLeaf")
