from directory.models.base import DatePrecision, Language
from directory.models.counts import TableRows
from directory.models.former_slugs import FormerSlug
from directory.models.organizations import (
    Identifier,
    Organization,
    OrganizationKind,
    OrganizationName,
)
from directory.models.people import Person, Position
from directory.models.reports import ErrorReport
from directory.models.sources import Source
from directory.models.vocabularies import City, FieldOfWork

__all__ = [
    "City",
    "DatePrecision",
    "ErrorReport",
    "FieldOfWork",
    "FormerSlug",
    "Identifier",
    "Language",
    "Organization",
    "OrganizationKind",
    "OrganizationName",
    "Person",
    "Position",
    "Source",
    "TableRows",
]
