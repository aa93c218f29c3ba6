"""How networks and programs look when embedded in other records."""

from directory.api.common import summary_serializer
from networks.models import Network, Program

NetworkSummarySerializer = summary_serializer(
    Network, "network-detail", fields=("slug", "name_zh", "name_en", "abbreviation")
)
ProgramSummarySerializer = summary_serializer(Program, "program-detail")
