"""schema.org descriptions of directory records, for search engines (JSON-LD)."""

from django.urls import reverse


def absolute(request, path):
    return request.build_absolute_uri(path)


def cited(record, request):
    return [
        source.web_address or absolute(request, reverse("source-page", args=[source.slug]))
        for source in record.sources.all()
    ]


def organization_jsonld(organization, request):
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": request.build_absolute_uri(),
        "url": request.build_absolute_uri(),
        "name": organization.name,
        "alternateName": [
            name
            for name in [
                organization.name_zh,
                organization.name_en,
                *(other.name for other in organization.other_names.all()),
            ]
            if name and name != organization.name
        ],
        "description": organization.description,
        "foundingDate": organization.founded or None,
        "sameAs": [
            url
            for url in [organization.website, *(i.url for i in organization.identifiers.all())]
            if url
        ],
        "memberOf": [
            {"@type": "Organization", "name": membership.network.name}
            for membership in organization.memberships.all()
        ],
        "subjectOf": cited(organization, request),
    }
    if organization.parent:
        data["parentOrganization"] = {"@type": "Organization", "name": organization.parent.name}
    if organization.city or organization.country:
        data["address"] = {
            "@type": "PostalAddress",
            "addressLocality": organization.city.name if organization.city else None,
            "addressCountry": organization.country.code or None,
        }
    return data


def person_jsonld(person, request):
    return {
        "@context": "https://schema.org",
        "@type": "Person",
        "@id": request.build_absolute_uri(),
        "url": request.build_absolute_uri(),
        "name": person.name,
        "alternateName": [
            name for name in [person.name_zh, person.name_en] if name and name != person.name
        ],
        "description": person.description,
        "affiliation": [
            {"@type": "Organization", "name": position.organization.name}
            for position in person.positions.all()
        ],
        "jobTitle": [position.title for position in person.positions.all() if position.title],
        "subjectOf": cited(person, request),
    }
