"""schema.org structured data for each page, as plain dicts; templates serialise it safely."""

from __future__ import annotations

from typing import Any

from site_gen.build.assemble import Site
from site_gen.build.routes import Route
from site_gen.content.model import WEEKDAYS, Clinic, Exercise

_CONTEXT = "https://schema.org"


def structured_data(site: Site, route: Route) -> dict[str, Any] | None:
    """The JSON-LD object for a content page or a clinic; None for lists, the 404 page and other files."""
    item = route.item
    if not route.is_html or item is None:
        return None
    if isinstance(item, Clinic):
        return {"@context": _CONTEXT, **clinic_data(site, item, site.config.base_url + route.url)}
    config = site.config
    review = site.get_review(item)
    data: dict[str, Any] = {
        "@context": _CONTEXT,
        "@type": "MedicalWebPage",
        "name": route.title,
        "description": route.description,
        "url": config.base_url + route.url,
        "inLanguage": config.language,
        "lastReviewed": review.date.isoformat(),
        "reviewedBy": {"@type": "Organization", "name": review.by},
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "publisher": {"@type": "MedicalOrganization", "name": config.clinic, "telephone": config.phone.e164},
    }
    if isinstance(item, Exercise):
        data["mainEntity"] = exercise_plan(site, item)
    return data


def exercise_plan(site: Site, exercise: Exercise) -> dict[str, Any]:
    """An ExercisePlan with the dosage exactly as the content gives it: a session's length as its
    duration (never a hold, which the sentence in `additionalVariable` gives)."""
    dosage = exercise.dosage
    plan: dict[str, Any] = {
        "@type": "ExercisePlan",
        "name": exercise.title,
        "description": exercise.summary,
        "additionalVariable": dosage.sentence(),
    }
    groups = site.get_group_names(exercise)
    if groups:
        plan["exerciseType"] = ", ".join(groups)
    if dosage.reps is not None:
        plan["repetitions"] = dosage.reps
    if dosage.duration is not None:
        plan["activityDuration"] = dosage.duration.iso()
    if dosage.frequency is not None:
        plan["activityFrequency"] = dosage.frequency.words()
    if dosage.rest is not None:
        plan["restPeriods"] = {"@type": "QuantitativeValue", "value": dosage.rest.amount,
                               "unitCode": dosage.rest.unit_code(), "unitText": dosage.rest.unit + "s"}
    return plan


def clinic_data(site: Site, clinic: Clinic, url: str) -> dict[str, Any]:
    """A schema.org Physiotherapy business with address, geo, phone and opening hours."""
    data: dict[str, Any] = {
        "@type": "Physiotherapy",
        "name": clinic.name,
        "url": url,
        "telephone": clinic.phone.e164,
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
            {"@type": "OpeningHoursSpecification", "dayOfWeek": [day.capitalize()],
             "opens": interval.opens, "closes": interval.closes}
            for day, intervals in zip(WEEKDAYS, clinic.hours.days) for interval in intervals
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
