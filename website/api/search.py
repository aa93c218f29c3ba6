"""One search across every kind of record, answered in groups (the site's own search)."""

from urllib.parse import urlencode

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from directory.api.common import Links
from directory.api.renderers import FastJSONRenderer
from directory.api.summaries import OrganizationSummarySerializer, PersonSummarySerializer
from directory.api.writers import writer_for
from directory.models import Organization, Person
from directory.search import COUNT_CAP
from events.api.summaries import EventSummarySerializer
from events.models import Event
from networks.api.committee import DecisionSerializer, VoteSerializer
from networks.api.summaries import NetworkSummarySerializer, ProgramSummarySerializer
from networks.models import Decision, Network, Program, Vote
from website.search_answers import counted_first, grouped_matches

# Each group: its key, its records, how each is summarized, and the list it links to.
GROUPS = [
    ("organizations", Organization, OrganizationSummarySerializer, "organization-list"),
    ("people", Person, PersonSummarySerializer, "person-list"),
    ("networks", Network, NetworkSummarySerializer, "network-list"),
    ("programs", Program, ProgramSummarySerializer, "program-list"),
    ("events", Event, EventSummarySerializer, "event-list"),
]
# The Committee's decisions and votes, found by the organizations' names and the topics they
# hold (their querysets' search), each written as its own list writes it.
COMMITTEE_GROUPS = [
    ("decisions", Decision, DecisionSerializer, "decision-list"),
    ("votes", Vote, VoteSerializer, "vote-list"),
]
DEFAULT_LIMIT, MAX_LIMIT = 10, 50


def group_serializer(key, summary):
    return type(
        f"Search{key.title()}Serializer",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(
                help_text=f"Matches, counted up to {COUNT_CAP}: see count_exact."
            ),
            "count_exact": serializers.BooleanField(
                help_text=f"False when more than {COUNT_CAP} match; count is then {COUNT_CAP}."
            ),
            "more": serializers.URLField(help_text="The full, filtered list."),
            "results": summary(many=True),
        },
    )


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = type(
        "SearchGroupsSerializer",
        (serializers.Serializer,),
        {
            key: group_serializer(key, summary)()
            for key, _model, summary, _list in GROUPS + COMMITTEE_GROUPS
        },
    )()


def columns(summary):
    """The fields a summary serializer writes as they are, all but its link."""
    return [name for name in summary.Meta.fields if name != "url"]


def summaries(records, summary, links):
    """The records as their `summary` serializer writes them, by its own fields
    (directory.api.writers), from the few fields first_matches read."""
    return writer_for(summary).many(records, links)


def group(request, list_name, text, count, exact):
    """A group of the answer but its results: the count and the full list's address."""
    more = reverse(list_name, request=request) + "?" + urlencode({"search": text})
    return {"count": count, "count_exact": exact, "more": more}


class SearchView(APIView):
    """Search organizations, people, networks, programs and events at once, and the UN
    Committee on NGOs' decisions and votes on organizations of that name."""

    permission_classes = [AllowAny]
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1},
                required=True,
                description="What to look for.",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                description=f"Results per group, 1 to {MAX_LIMIT}.",
            ),
        ],
        responses=SearchResultsSerializer,
    )
    def get(self, request):
        text = request.query_params.get("q", "").strip()
        if not text:
            raise ValidationError({"q": [_("Give something to search for.")]})
        limit = self.limit(request)
        links = Links(request)
        results = {}
        answers = grouped_matches(
            [(model, columns(summary)) for _key, model, summary, _list in GROUPS], text, limit
        )
        for (key, _model, summary, list_name), (count, exact, first) in zip(
            GROUPS, answers, strict=True
        ):
            results[key] = group(request, list_name, text, count, exact)
            results[key]["results"] = summaries(first, summary, links)
        for key, model, serializer, list_name in COMMITTEE_GROUPS:
            count, exact, first = counted_first(model.objects.search(text), limit)
            results[key] = group(request, list_name, text, count, exact)
            results[key]["results"] = serializer(
                first, many=True, context={"request": request}
            ).data
        return Response({"query": text, "results": results})

    @staticmethod
    def limit(request):
        raw = request.query_params.get("limit", str(DEFAULT_LIMIT))
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
            raise ValidationError(
                {"limit": [_("Give a whole number from 1 to %(max)d.") % {"max": MAX_LIMIT}]}
            )
        return int(raw)
