"""The organization list's facets, each declared once: the filter it sets, its title, how its
values are counted and how a value is labelled. OrganizationQuerySet.facet_counts() counts
them, one query each; the list page (directory.views) shows them with links that set the
filter."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from directory.models import Organization, OrganizationKind
from directory.models.planning import planned_each_time
from directory.pages import localized_row_name


@dataclass(frozen=True)
class Facet:
    name: str  # the filter's parameter
    title: str
    value: str  # the key under which a counted row holds the value the filter takes
    count: Callable  # (Selection) -> the counted rows, most frequent first
    label: Callable  # (counted row) -> the value's label


class Selection:
    """The organizations a list selects, and the rows that name them, as facets count them:
    each facet counts at most `limit` values, most frequent first (ties in the values'
    order)."""

    def __init__(self, organizations, limit):
        self.organizations = organizations.order_by()
        self.limit = limit
        # Every organization (the list without filters, the most visited): the related rows
        # are counted as they are, not matched against every organization first, and an
        # organization's memberships of one network are counted once per network in the
        # index's order. Among a selection, distinct pairs are hashed instead.
        self.everything = not self.organizations.query.where

    def related(self, rows):
        """Rows that name an organization (its fields', its memberships'), of these."""
        rows = rows.order_by()
        if self.everything:
            return rows
        return rows.filter(organization__in=self.organizations.values("pk"))

    def memberships(self):
        return self.related(memberships()._default_manager)

    def fields(self):
        return self.related(self.organizations.model.fields.through.objects)

    def grouped(self, rows):
        """values() rows of these organizations counted by their one column."""
        # Filters across memberships or fields may repeat an organization (the filter set
        # then asks for distinct rows): each is counted once.
        distinct = self.organizations.query.distinct
        counted = rows.annotate(count=Count("pk", distinct=distinct))
        return list(counted.order_by("-count", *rows.query.values_select)[: self.limit])

    def organizations_by(self, rows, column, key):
        """Related rows counted by `column`, each organization once per value: an
        organization may hold several memberships of one network, or consultative status at
        one level from several dates."""
        if self.everything:
            return self.counted_by(
                rows.values(column, "organization_id"), column, key, distinct="organization_id"
            )
        return self.counted_by(rows.values(column, "organization_id").distinct(), column, key)

    def counted_by(self, rows, column, key, distinct=None):
        """[{key + label column: ..., "count": n}]: `rows` counted by `column` (or their
        `distinct` values, each once), most first. A foreign key's rows are counted by its
        id, then only the counted records' slug and names are read, with the count (grouping
        by the three texts cost more); another column's value is given under `key` itself.

        Written as SQL around the ORM's, which cannot count the rows of a DISTINCT: counting
        distinct pairs grouped by the value sorted each group, and was the slower."""
        connection = connections[self.organizations.db]
        name = connection.ops.quote_name
        try:
            inner, params = rows.query.sql_with_params()
        except EmptyResultSet:  # filters that can select nothing
            return []
        counting = f"COUNT(DISTINCT {name(distinct)})" if distinct else "COUNT(*)"
        counted = (
            f"SELECT {name(column)} AS value, {counting} AS count FROM ({inner}) AS rows "
            f"GROUP BY {name(column)} ORDER BY count DESC, value LIMIT %s"
        )
        field = rows.model._meta.get_field(column.removesuffix("_id"))
        if field.is_relation:
            labels = ("slug", "name_zh", "name_en")
            related = field.related_model._meta
            sql = (
                f"SELECT {', '.join(f'label.{name(c)}' for c in labels)}, counted.count "
                f"FROM ({counted}) AS counted JOIN {name(related.db_table)} AS label "
                f"ON label.{name(related.pk.column)} = counted.value "
                "ORDER BY counted.count DESC, counted.value"
            )
            keys = [key + column for column in labels]
        else:
            sql, keys = counted, [key]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, self.limit])
            return [
                {**dict(zip(keys, row, strict=False)), "count": row[-1]}
                for row in cursor.fetchall()
            ]


def memberships():
    """The memberships model, which is networks': directory reaches it through the relation."""
    return Organization._meta.get_field("memberships").related_model


FACETS = (
    Facet(
        name="kind",
        title=_("Kind"),
        value="kind",
        count=lambda selected: selected.grouped(selected.organizations.values("kind")),
        label=lambda row: OrganizationKind(row["kind"]).label,
    ),
    Facet(
        name="field",
        title=_("Field of work"),
        value="fields__slug",
        # An organization has a field once (the through table's rows are unique).
        count=lambda selected: selected.counted_by(
            selected.fields().values("fieldofwork_id"), "fieldofwork_id", "fields__"
        ),
        label=lambda row: localized_row_name(row, "fields__"),
    ),
    Facet(
        name="country",
        title=_("Country"),
        value="country",
        count=lambda selected: selected.grouped(
            selected.organizations.exclude(country="").values("country")
        ),
        label=lambda row: countries.name(row["country"]),
    ),
    Facet(
        name="city",
        title=_("City"),
        value="city__slug",
        count=lambda selected: selected.counted_by(
            selected.organizations.filter(city__isnull=False).values("pk", "city_id"),
            "city_id",
            "city__",
        ),
        label=lambda row: localized_row_name(row, "city__"),
    ),
    Facet(
        name="network",
        title=_("Network"),
        value="memberships__network__slug",
        count=lambda selected: selected.organizations_by(
            selected.memberships(), "network_id", "memberships__network__"
        ),
        label=lambda row: localized_row_name(row, "memberships__network__"),
    ),
    Facet(
        name="consultative_level",
        title=_("UN consultative status"),
        value="memberships__level",
        count=lambda selected: selected.organizations_by(
            selected.memberships().filter(role="consultative_status"),
            "level",
            "memberships__level",
        ),
        label=lambda row: memberships().Level(row["memberships__level"]).label,
    ),
)


def count_facets(organizations, limit=20):
    """{facet name: counted rows} for the organizations, one query per facet."""
    selected = Selection(organizations, limit)
    with planned_each_time(organizations.db):
        return {facet.name: facet.count(selected) for facet in FACETS}
