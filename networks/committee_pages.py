"""The UN Committee on NGOs' record as pages: its sessions, each with its decisions and votes,
its statistics, and an organization's history with it (shown on the organization's page)."""

import datetime
from itertools import groupby

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_countries import countries

from directory.pages import NEWEST, filtered_list
from networks.charts import Series, bar_chart
from networks.filters import DecisionFilterSet, VoteFilterSet
from networks.models import CommitteeSession, Decision, Vote, VoteCast

# The kinds whose ratio the statistics draw: applications put off, to applications granted.
DEFERRED = (Decision.Kind.DEFERRED, Decision.Kind.NEW_APPLICATION_DEFERRED)


def committee_history(organization):
    """An organization's Committee history, oldest first: for each session where the
    Committee decided on it or voted on it, those decisions and votes (with their tallies).
    Two queries, whatever the length."""
    decisions = Decision.objects.filter(organization=organization).select_related("session")
    votes = Vote.objects.of_organization(organization)
    sessions = {}
    for decision in decisions.order_by("session__date", "kind"):
        sessions.setdefault(decision.session.date, [decision.session, [], []])[1].append(decision)
    for vote in votes:
        sessions.setdefault(vote.session.date, [vote.session, [], []])[2].append(vote)
    return [
        {"session": session, "decisions": decided, "votes": voted}
        for session, decided, voted in (sessions[date] for date in sorted(sessions))
    ]


def session_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Http404(_("No session is reported on this date.")) from None


@require_safe
def session_list(request):
    sessions = CommitteeSession.objects.with_counts()
    return render(
        request,
        "networks/committee_session_list.html",
        {"sessions": sessions, "kinds": Decision.Kind.choices},
    )


@require_safe
def decision_list(request):
    """Every decision, newest session first, filtered as the API filters them (the search
    finds the organization by its name in the file or in the directory)."""
    return filtered_list(
        request,
        DecisionFilterSet,
        "networks/committee_decision_list.html",
        per_page=50,
        sorts=(NEWEST,),
        extra=lambda counts: {
            "kinds": Decision.Kind.choices,
            "kind": request.GET.get("kind", ""),
            "year": request.GET.get("year", ""),
        },
    )


@require_safe
def vote_list(request):
    """Every roll-call vote with its tally, newest session first; "how did China vote"
    is ?member_state=CN (and &choice=against)."""
    return filtered_list(
        request,
        VoteFilterSet,
        "networks/committee_vote_list.html",
        per_page=50,
        sorts=(NEWEST,),
        extra=lambda counts: {
            "choices": VoteCast.Choice.choices,
            "choice": request.GET.get("choice", ""),
            "member_state": request.GET.get("member_state", ""),
            "member_state_name": countries.name(request.GET.get("member_state", "")),
            "states": member_state_choices(),
        },
    )


def member_state_choices():
    """The member states that voted in any recorded vote, by name: (code, name). One query."""
    codes = VoteCast.objects.values_list("country", flat=True).distinct().order_by()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])


@require_safe
def session_detail(request, date):
    session = get_object_or_404(CommitteeSession.objects.all(), date=session_date(date))
    decisions = session.decisions.select_related("organization").order_by("kind", "name")
    by_kind = {kind: list(group) for kind, group in groupby(decisions, key=lambda d: d.kind)}
    votes = session.votes.for_listing()
    return render(
        request,
        "networks/committee_session_detail.html",
        {
            "session": session,
            "groups": [
                (label, by_kind[kind]) for kind, label in Decision.Kind.choices if kind in by_kind
            ],
            "votes": votes,
        },
    )


@require_safe
def statistics(request):
    return render(
        request,
        "networks/committee_statistics.html",
        {
            **decisions_by_session(),
            **deferred_to_granted(),
            "most_deferred": Decision.objects.most_deferred_organizations(20),
            "member_states": member_states(),
            "choices": VoteCast.Choice.choices,
        },
    )


def decisions_by_session():
    rows = list(Decision.objects.by_session_and_kind())
    dates = sorted({row["session__date"] for row in rows})
    counts = {(row["session__date"], row["kind"]): row["count"] for row in rows}
    kinds = [(k, label) for k, label in Decision.Kind.choices if any(k == r["kind"] for r in rows)]
    series = [Series(str(label), [counts.get((d, k), 0) for d in dates]) for k, label in kinds]
    return {
        "by_session_chart": bar_chart(
            "by-session",
            [d.isoformat() for d in dates],
            series,
            title=_("Decisions per session, by kind"),
            description=_(
                "A stacked bar for each session of the Committee, from %(first)s to %(last)s: "
                "the number of its decisions of each kind. The table below gives the numbers."
            )
            % {"first": dates[0] if dates else "", "last": dates[-1] if dates else ""},
            label_every=max(len(dates) // 30, 1),
        ),
        "by_session_series": series,
        "by_session_rows": [
            (
                date,
                [(layer.values[i], layer) for layer in series],
                sum(layer.values[i] for layer in series),
            )
            for i, date in enumerate(dates)
        ],
    }


def deferred_to_granted():
    rows = Decision.objects.filter(kind__in=(*DEFERRED, Decision.Kind.GRANTED)).by_year_and_kind()
    years = {}
    for row in rows:
        counts = years.setdefault(row["year"], {"deferred": 0, "granted": 0})
        counts["granted" if row["kind"] == Decision.Kind.GRANTED else "deferred"] += row["count"]
    table = [
        (
            year,
            counts["deferred"],
            counts["granted"],
            round(counts["deferred"] / counts["granted"], 2) if counts["granted"] else None,
        )
        for year, counts in sorted(years.items())
    ]
    return {
        "ratio_chart": bar_chart(
            "ratio",
            [str(year) for year, *_rest in table],
            [Series(_("deferrals per grant"), [ratio or 0 for *_rest, ratio in table])],
            title=_("Deferrals per grant, by year"),
            description=_(
                "For each year, the applications deferred divided by the applications granted "
                "consultative status. The table below gives the numbers."
            ),
        ),
        "ratio_rows": table,
    }


def member_states():
    """Each member state's votes counted by choice, in the order of its name."""
    rows = [
        {
            **row,
            "name": countries.name(row["country"]),
            "choices": [(c, label, row[c]) for c, label in VoteCast.Choice.choices],
        }
        for row in VoteCast.objects.by_member_state()
    ]
    return sorted(rows, key=lambda row: row["name"])
