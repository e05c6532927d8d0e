"""The theme a site is made with: the project's templates folder over the default theme, file by file.

The default theme ships in the package (`site_gen/theme/`). A file of the project's folder with
the same name replaces the default's, and only that one, as MkDocs' `custom_dir` does; a
project template can extend the default one it replaces as `theme/<name>`. Assets (stylesheets,
scripts, pictures) are in `assets/` and are overridden the same way.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import rcssmin
import rjsmin

from site_gen.build.filters import (
    asset,
    count_words,
    format_date,
    format_time,
    split_intro,
    url,
)
from site_gen.content.problems import Problems
from site_gen.content.sourcefile import display_path
from site_gen.features.printfit import PrintMeasures

if TYPE_CHECKING:
    from site_gen.build.language import Language
from site_gen.features.qrcodes import short_url
from site_gen.keys import key_of

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "theme"
ASSETS = "assets"  # the folder of a theme whose files are published under assets/
PRINT_MEASURES = "print-measures.yaml"  # the theme's measures of its printed sheets
TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".js")  # other files of a templates folder (a README) are not templates
# rcssmin and rjsmin: well-kept minifiers that understand strings, comments and regex literals.
_MINIFY = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


@dataclass(frozen=True)
class Theme:
    """The folders a site's templates and assets come from, the first holding a file winning."""

    folders: tuple[Path, ...]  # the project's own (when it has one), then the default theme

    @classmethod
    def of_project(cls, templates_dir: Path) -> "Theme":
        """The project's templates folder over the default theme; a project without one gets the default."""
        own = (templates_dir.resolve(),) if templates_dir.is_dir() else ()
        return cls((*own, DEFAULT_THEME))

    def find(self, name: str) -> Path | None:
        """The file a template or asset name stands for: the project's, else the default theme's."""
        return next((folder / name for folder in self.folders if (folder / name).is_file()), None)

    def template_names(self) -> list[str]:
        """Every template any folder holds (assets and other files left out)."""
        return sorted({path.relative_to(folder).as_posix() for folder in self.folders for path in folder.rglob("*")
                       if path.is_file() and path.suffix in TEMPLATE_SUFFIXES
                       and path.relative_to(folder).parts[0] != ASSETS})

    def files(self) -> dict[str, Path]:
        """Every file of the theme by name, the project's over the default's."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            found.update({path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()})
        return dict(sorted(found.items()))

    def key(self) -> str:
        """A hash of every file the site is made with, names and bytes: pages made with others are not reused."""
        return key_of(*(part for name, path in self.files().items() for part in (name, path.read_bytes())))

    def shown(self, name: str) -> str:
        """A template's path as staff would type it, for messages."""
        path = self.find(name)
        return display_path(path) if path else display_path(self.folders[0] / name)


def load_templates(theme: Theme, problems: Problems, bytecode_dir: Path | None = None) -> jinja2.Environment | None:
    """A strict, autoescaping environment with every template compiled; None after errors.

    Compiled templates are kept in `bytecode_dir` (Jinja checks each against its source).
    """
    env = make_environment(theme, bytecode_dir)
    for name in theme.template_names():
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.error(theme.shown(name), exc.lineno, "template", exc.message or "syntax error")
    return None if problems.errors else env


def make_environment(theme: Theme, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """The theme's environment, its templates compiled as they are asked for; its words are given
    by `in_language` (until then, as the templates write them)."""
    if bytecode_dir:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
    default = jinja2.FileSystemLoader(DEFAULT_THEME)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(theme.folders),
                                    jinja2.PrefixLoader({"theme": default})]),
        autoescape=jinja2.select_autoescape(disabled_extensions=("txt",), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # each build makes its own environment: no template changes under it
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode_dir)) if bytecode_dir else None,
        extensions=["jinja2.ext.i18n"],
    )
    # Compact, letters as they are (é, not \u00e9): bytes count. Jinja's tojson still escapes < > & '.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": False}
    env.filters.update(date=format_date, time=format_time, split_intro=split_intro, short_url=short_url,
                       count_words=count_words)
    env.globals.update(url=url, asset=asset)  # the render step adds body and qr
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]  # added by the i18n extension
    return env


def in_language(env: jinja2.Environment, language: Language) -> jinja2.Environment:
    """The environment with the theme's words in a language: `_()`, `ngettext()` and {% trans %} from its
    catalog (newstyle: autoescaped, with %(name)s placeholders), and `language` for dates and names."""
    env.install_gettext_translations(language.words, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(language=language, words=language.words)
    return env


def read_print_measures(theme: Theme, problems: Problems) -> PrintMeasures | None:
    """The measures the theme declares of its printed sheets (print-measures.yaml); None after an error."""
    path = theme.find(PRINT_MEASURES)
    try:
        return PrintMeasures.from_yaml(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problems.error(theme.shown(PRINT_MEASURES), None, None, str(exc))
        return None


def check_templates(theme: Theme, names: set[str], problems: Problems) -> bool:
    """Whether every template the routes need is in the theme; each missing one is an error."""
    missing = sorted(name for name in names if theme.find(name) is None)
    for name in missing:
        problems.error(theme.shown(name), None, None, "missing template; the site needs it to make its pages")
    return not missing


def read_assets(theme: Theme) -> dict[str, bytes]:
    """Static files, CSS and JavaScript named by a hash of their bytes so browsers can cache them forever."""
    assets = {}
    for name, path in theme.files().items():
        if not name.startswith(ASSETS + "/"):
            continue
        data = path.read_bytes()
        rel = name[len(ASSETS) + 1:]
        stem, ext = posixpath.splitext(rel)
        if ext in (".css", ".js"):
            data = _MINIFY[ext](data.decode("utf-8")).encode("utf-8")
            rel = f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{ext}"
        assets[rel] = data
    return assets


def asset_urls(assets: dict[str, bytes]) -> dict[str, str]:
    """Name as templates ask for it (`site.css`) → published address (`assets/site.1a2b3c4d5e.css`)."""
    urls = {}
    for rel in assets:
        stem, ext = posixpath.splitext(rel)
        name = posixpath.splitext(stem)[0] + ext if ext in (".css", ".js") else rel
        urls[name] = f"{ASSETS}/{rel}"
    return urls
