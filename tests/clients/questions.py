"""Answers a researcher's questions through the client generated from the API's schema
(openapi-python-client), and nothing else: run by tests/clients/test_generated_client.py
in a virtualenv of its own, with the client importable as `directory_client`. Prints one
JSON object of answers."""

import csv
import io
import json
import sys
from urllib.parse import parse_qs, urlsplit

from directory_client import Client
from directory_client.api.memberships import memberships_list
from directory_client.api.organizations import organizations_export_list, organizations_list
from directory_client.api.talks import talks_list
from directory_client.models.memberships_list_country import MembershipsListCountry
from directory_client.models.organizations_export_list_country import (
    OrganizationsExportListCountry,
)
from directory_client.models.organizations_export_list_format import (
    OrganizationsExportListFormat,
)
from directory_client.models.organizations_list_pagination import OrganizationsListPagination
from directory_client.types import UNSET

MEETING = "2021-china-philanthropy-going-global-exchange-meeting"
ECOSOC = "un-ecosoc-consultative-status"


def every(endpoint, **filters):
    """Every record of a list, page by page through `next`."""
    page, records = 1, []
    while True:
        answer = endpoint.sync(client=client, page=page, page_size=100, **filters)
        records += answer.results
        if not answer.next_:
            return records
        page += 1


def walked(endpoint, keyset, page_size, **filters):
    """Every record of a list, walked with keyset pages: each from the cursor in the last
    one's `next`."""
    cursor, records = UNSET, []
    while True:
        answer = endpoint.sync(
            client=client, pagination=keyset, cursor=cursor, page_size=page_size, **filters
        )
        records += answer.results
        if not answer.next_:
            return records
        cursor = parse_qs(urlsplit(answer.next_).query)["cursor"][0]


def name(summary):
    return (summary.name_en or summary.name_zh) if summary else None


client = Client(base_url=sys.argv[1], raise_on_unexpected_status=True)
answers = {
    # 1. The 2021 meeting's talks in order, with each speaker's organization then.
    "talks": [
        [
            talk.session.order,
            talk.session.title_en,
            talk.order,
            name(talk.speaker),
            name(talk.speaker_organization),
        ]
        for talk in every(talks_list, event=MEETING)
    ],
    # 2. Chinese organizations with consultative status: their level and year.
    "consultative_status": sorted(
        [
            name(membership.organization),
            str(membership.level),
            membership.start_date.year if membership.start_date else None,
        ]
        for membership in every(memberships_list, network=ECOSOC, country=MembershipsListCountry.CN)
    ),
    # 3. The members of VSO's partnership.
    "vso_partners": sorted(
        membership.organization.slug
        for membership in every(memberships_list, network="vso-china-partners")
    ),
    # 4. A search in pinyin finds a Chinese name.
    "pinyin": [organization.slug for organization in every(organizations_list, search="aide")],
    # 5. The organizations in China, as a CSV of the whole filtered list, read with csv.
    "csv_of_china": sorted(
        row["slug"]
        for row in csv.DictReader(
            io.StringIO(
                organizations_export_list.sync(
                    client=client,
                    country=OrganizationsExportListCountry.CN,
                    format_=OrganizationsExportListFormat.CSV,
                ).removeprefix("\ufeff")  # the byte-order mark that tells Excel it is UTF-8
            )
        )
    ),
    # 6. Every organization, walked with keyset pages of seven.
    "keyset_walk": [
        organization.slug
        for organization in walked(organizations_list, OrganizationsListPagination.KEYSET, 7)
    ],
}
print(json.dumps(answers, ensure_ascii=False))
