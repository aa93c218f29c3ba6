"""An organization's history as one dated line: its founding, the networks it joined and
left, its people's terms, its programs, the events it took part in and the UN Committee's
decisions on it, oldest first.

Built from what its page has already read (Organization.for_detail() and the Committee
history), so the line costs no query. What carries no date is left out: a line shows only
what a source dates, each date as precisely as the source gives it.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Moment:
    date: datetime.date  # the earliest day the date allows: for the order only
    shown: str  # as precise as the source: "2010", "2010-07", "2010-07-21"
    text: str
    url: str = ""


def organization_timeline(organization, committee_history=()):
    moments = []

    def add(date, shown, text, url=""):
        if date is not None:
            moments.append(Moment(date, shown, text, url))

    add(organization.founded_on, organization.founded, _("Founded"))
    for membership in organization.memberships.all():
        names = {
            "network": membership.network.name,
            "role": membership.get_role_display(),
            "level": membership.get_level_display(),
        }
        url = membership.network.get_absolute_url()
        if membership.level and membership.level != membership.Level.UNKNOWN:
            joined = _("%(network)s: %(level)s") % names
        else:
            joined = _("Joined %(network)s (%(role)s)") % names
        add(membership.start_date, membership.start, joined, url)
        add(membership.end_date, membership.end, _("Left %(network)s") % names, url)
    for position in organization.positions.all():
        names = {
            "person": position.person.name,
            "title": position.title or _("(title not stated)"),
        }
        url = position.person.get_absolute_url()
        add(position.start_date, position.start, _("%(person)s: %(title)s") % names, url)
        add(position.end_date, position.end, _("%(person)s left: %(title)s") % names, url)
    for role in organization.program_roles.all():
        names = {"program": role.program.name, "role": role.get_role_display()}
        add(
            role.program.start_date,
            role.program.start,
            _("%(program)s began (%(role)s)") % names,
            role.program.get_absolute_url(),
        )
    for participation in organization.event_participations.all():
        event = participation.event
        names = {"event": event.name, "role": participation.get_role_display()}
        add(
            event.start_date,
            event.start,
            _("%(event)s (%(role)s)") % names,
            event.get_absolute_url(),
        )
    for talk in organization.talks.all():
        event = talk.session.event
        names = {"person": talk.speaker.name, "event": event.name, "role": talk.get_role_display()}
        add(
            event.start_date,
            event.start,
            _("%(person)s at %(event)s (%(role)s)") % names,
            talk.get_absolute_url(),
        )
    for entry in committee_history:
        session = entry["session"]
        for decision in entry["decisions"]:
            add(
                session.date,
                session.date.isoformat(),
                _("UN Committee on NGOs: %(decision)s") % {"decision": decision.get_kind_display()},
                session.get_absolute_url(),
            )
    return sorted(moments, key=lambda moment: (moment.date, moment.text))
