"""schema.org structured data of a content page, as plain dicts; templates serialise it safely.

Every page showing a content item is a MedicalWebPage for patients; a kind may add to it or say
something else (its `structured_data`, in site_gen/kinds/).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from site_gen.build.assemble import Site
    from site_gen.kinds.kind import Route

CONTEXT = "https://schema.org"


def web_page(site: Site, route: Route) -> dict[str, Any]:
    """A MedicalWebPage for patients, reviewed, published by the clinic."""
    config = site.config
    review = site.get_review(route.item)
    return {
        "@context": CONTEXT,
        "@type": "MedicalWebPage",
        "name": route.title,
        "description": route.description,
        "url": config.base_url + route.url,
        "inLanguage": config.language,
        "lastReviewed": review.date.isoformat(),
        "reviewedBy": {"@type": "Organization", "name": review.by},
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "publisher": {"@type": "MedicalOrganization", "name": config.clinic,
                      "telephone": config.phone.e164.replace(";ext=", " ext. ")},
    }
