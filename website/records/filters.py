"""Filters that reach across apps: organizations by their memberships of networks, people by
the events they spoke at. Each adds to the directory's filter set (directory.filters)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from directory import filters as own
from events.models import Event, Talk
from networks.models import Membership, Network


class OrganizationFilterSet(own.OrganizationFilterSet):
    # Conditions on memberships apply together to one membership, so that
    # network=un-ecosoc-consultative-status&member_since_after=2010-01-01 finds organizations
    # that joined that network since 2010, not ones that joined it earlier and another since.
    MEMBERSHIP_CONDITIONS = {
        "network": "network",
        "membership_role": "role",
        "consultative_level": "level",
        "member_since_after": "started_after",
        "member_since_before": "started_before",
    }

    network = own.slug_filter(
        Network.objects.all(), method="filter_by_membership", label=_("Member of network (slug)")
    )
    membership_role = django_filters.ChoiceFilter(
        choices=Membership.Role.choices, method="filter_by_membership", label=_("Role in a network")
    )
    consultative_level = django_filters.ChoiceFilter(
        choices=Membership.Level.choices,
        method="filter_by_membership",
        label=_("UN consultative status"),
    )
    member_since_after = django_filters.DateFilter(
        method="filter_by_membership", label=_("Membership started on or after")
    )
    member_since_before = django_filters.DateFilter(
        method="filter_by_membership", label=_("Membership started on or before")
    )

    def filter_by_membership(self, queryset, name, value):
        return queryset  # applied all together in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        conditions = {
            argument: self.form.cleaned_data.get(name)
            for name, argument in self.MEMBERSHIP_CONDITIONS.items()
        }
        if any(value not in (None, "") for value in conditions.values()):
            members = Membership.objects.matching(**conditions).values("organization")
            queryset = queryset.filter(pk__in=members)
        return queryset


class PersonFilterSet(own.PersonFilterSet):
    event = own.slug_filter(
        Event.objects.all(), method="filter_by_event", label=_("Spoke at event (slug)")
    )

    def filter_by_event(self, queryset, name, event):
        return queryset.filter(pk__in=Talk.objects.filter(session__event=event).values("speaker"))
