"""schema.org structured data of a content page, as plain dicts; templates serialise it safely.

Every page showing a content item is a MedicalWebPage for patients; a kind may add to it or say
something else (its `structured_data`, in site_gen/kinds/): a clinic's page is the clinic, a MedicalClinic.
Each object uses only properties its type has in the vocabulary (tests/test_jsonld_types.py checks
them with the schema-dts typings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from site_gen.content.words import said

if TYPE_CHECKING:
    from site_gen.build.assemble import Site
    from site_gen.kinds.clinic import Clinic
    from site_gen.kinds.kind import Route

CONTEXT = "https://schema.org"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # schema.org's DayOfWeek


def web_page(site: Site, route: Route) -> dict[str, Any]:
    """A MedicalWebPage for patients, reviewed, published by the clinic."""
    config = site.config
    review = site.get_review(route.item)
    return {
        "@context": CONTEXT,
        "@type": "MedicalWebPage",
        "name": said(route.title, site.language.words if site.language else None),
        "description": said(route.description, site.language.words if site.language else None),
        "url": config.base_url + route.url,
        "inLanguage": site.language.tag if site.language else config.language,
        "lastReviewed": review.date.isoformat(),
        "reviewedBy": {"@type": "Organization", "name": review.by},
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "publisher": {"@type": "MedicalOrganization", "name": config.clinic,
                      "telephone": config.phone.e164.replace(";ext=", " ext. ")},
    }


def medical_clinic(site: Site, clinic: Clinic, url: str) -> dict[str, Any]:
    """A schema.org MedicalClinic of physiotherapy with address, geo, phone, services and opening hours.
    MedicalClinic, not the Physiotherapy business type: only a clinic (or a hospital or physician)
    has `availableService` in the vocabulary."""
    data: dict[str, Any] = {
        "@type": "MedicalClinic",
        "medicalSpecialty": "Physiotherapy",
        "name": clinic.name,
        "url": url,
        # Text for people and search engines: an extension as it is written, not as a tel: link's parameter.
        "telephone": clinic.phone.e164.replace(";ext=", " ext. "),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": clinic.street,
            "addressLocality": clinic.city,
            "addressRegion": clinic.region,
            "postalCode": clinic.postal_code,
            "addressCountry": clinic.country,
        },
        "geo": {"@type": "GeoCoordinates", "latitude": clinic.latitude, "longitude": clinic.longitude},
        "parentOrganization": {"@type": "MedicalOrganization", "name": site.config.clinic},
    }
    if clinic.website:
        data["sameAs"] = clinic.website
    if clinic.email:
        data["email"] = clinic.email
    if clinic.services:
        data["availableService"] = [{"@type": "MedicalTherapy", "name": service} for service in clinic.services]
    if clinic.hours is not None:
        data["openingHoursSpecification"] = [
            {"@type": "OpeningHoursSpecification", "dayOfWeek": [day],
             "opens": interval.opens, "closes": interval.closes}
            for day, intervals in zip(DAYS, clinic.hours.days) for interval in intervals
        ]
        if clinic.hours.closures:
            # Google's convention for a day closed: opens and closes both at 00:00.
            data["specialOpeningHoursSpecification"] = [
                {"@type": "OpeningHoursSpecification", "validFrom": closure.start.isoformat(),
                 "validThrough": closure.end.isoformat(), "opens": "00:00", "closes": "00:00",
                 "description": closure.reason}
                for closure in clinic.hours.closures
            ]
    return data
