"""Spreadsheet rows for memberships: the organization and network by slug, the role and the
start date name the membership (see directory.resources)."""

from directory.resources import DirectoryResource
from networks.models import Membership


class MembershipResource(DirectoryResource):
    class Meta:
        model = Membership
        fields = (
            "organization",
            "network",
            "role",
            "level",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "notes",
            "sources",
        )
