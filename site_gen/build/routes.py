"""The table of outputs: every address the site publishes, its template, and what it shows.

One object, many outputs: an exercise is loaded once; its page (and later its handout) are rows
here. Addresses are site paths without a leading slash: "" is the home page, directories end
with "/" and are written as `index.html` inside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from site_gen.content.model import Clinic, Content, Exercise, Page, Program, Topic

HOME = ""
EXERCISES = "exercises/"
CLINICS = "clinics/"
PROGRAMS = "programs/"
POSTCODES = "clinics/postcodes.js"  # loaded by the locator only when someone types a postal code
NOT_FOUND = "404.html"
# A program's packet is a file beside its page, not a folder of its own: a folder costs the disk
# far more than a file (2,000 folders took 0.4-1.9 s to make on the benchmark machine).
PRINT_PACKET = "print.html"  # in a program's folder


@dataclass(frozen=True)
class Route:
    """One published file: its address, the template that makes it, and the object it shows."""

    url: str
    template: str
    title: str
    description: str = ""
    item: Page | Topic | Exercise | Clinic | Program | None = None
    in_sitemap: bool = True

    @property
    def output_path(self) -> str:
        """Path of the written file inside the output folder."""
        return self.url + "index.html" if self.url == "" or self.url.endswith("/") else self.url

    @property
    def is_html(self) -> bool:
        return self.output_path.endswith(".html")


def topic_url(topic: Topic) -> str:
    return f"{topic.slug}/"  # at the site's root, as its file is at the content folder's


def exercise_url(exercise: Exercise) -> str:
    return f"{EXERCISES}{exercise.slug}/"


def clinic_url(clinic: Clinic) -> str:
    return f"{CLINICS}{clinic.slug}/"


def program_url(program: Program) -> str:
    return f"{PROGRAMS}{program.slug}/"


def print_packet_url(program: Program) -> str:
    return program_url(program) + PRINT_PACKET


def url_of(item: Topic | Exercise | Clinic | Program) -> str:
    """The address of a topic's, an exercise's, a clinic's or a program's page."""
    if isinstance(item, Topic):
        return topic_url(item)
    if isinstance(item, Exercise):
        return exercise_url(item)
    return clinic_url(item) if isinstance(item, Clinic) else program_url(item)


def iter_routes(content: Content) -> Iterator[Route]:
    """Every output of the site, in a stable order."""
    home = content.home
    yield Route(HOME, "home.html", home.title, home.summary, home)
    for topic in content.topics:
        yield Route(topic_url(topic), "topic.html", topic.title, topic.summary, topic)
    yield Route(EXERCISES, "exercises.html", "All exercises",
                "Every exercise in the library, grouped by topic." if content.topics
                else "Every exercise in the library.")
    for exercise in content.exercises:
        yield Route(exercise_url(exercise), "exercise.html", exercise.title, exercise.summary, exercise)
    yield Route(PROGRAMS, "programs.html", "Home programs",
                "Sets of exercises to do at home, each with a printable packet and a weekly tracker.")
    for program in content.programs:
        yield Route(program_url(program), "program.html", program.title, program.summary, program)
        yield Route(print_packet_url(program), "program_print.html", f"{program.title}: printable packet",
                    f"{program.title}: a cover with a two-week tracker, then one page per exercise.", program,
                    in_sitemap=False)
    yield Route(CLINICS, "clinics.html", "Find a clinic",
                f"Addresses, phone numbers and opening hours of every {content.site.clinic} clinic.")
    yield Route(POSTCODES, "postcodes.js", "Postal codes", in_sitemap=False)
    for clinic in content.clinics:
        yield Route(clinic_url(clinic), "clinic.html", clinic.name,
                    f"{clinic.street}, {clinic.city}, {clinic.region}. Call {clinic.phone.display}.", clinic)
    yield Route(NOT_FOUND, "404.html", "Page not found", in_sitemap=False)
    yield Route("sitemap.xml", "sitemap.xml", "Sitemap", in_sitemap=False)
    yield Route("robots.txt", "robots.txt", "Robots", in_sitemap=False)


def source_urls(content: Content) -> dict[str, str]:
    """Content file (as authors link to it) → the address of its page."""
    urls = {content.home.source.rel: HOME}
    urls.update({topic.source.rel: topic_url(topic) for topic in content.topics})
    urls.update({exercise.source.rel: exercise_url(exercise) for exercise in content.exercises})
    urls.update({clinic.source.rel: clinic_url(clinic) for clinic in content.clinics})
    urls.update({program.source.rel: program_url(program) for program in content.programs})
    urls.update({image: image for image in content.images})  # published where they are: images/…
    return urls


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url` that works at any sub-path and from disk."""
    path, hash_mark, fragment = to_url.partition("#")
    # Site addresses are already normal (no "." or ".."), so comparing folders is enough; this runs
    # for every link of every page, where posixpath.relpath's filesystem calls would cost seconds.
    from_dirs = from_url.split("/")[:-1]
    to_parts = path.split("/")
    common = 0
    while common < len(from_dirs) and common < len(to_parts) - 1 and from_dirs[common] == to_parts[common]:
        common += 1
    relative = "../" * (len(from_dirs) - common) + "/".join(to_parts[common:])
    return (relative or "./") + hash_mark + fragment
