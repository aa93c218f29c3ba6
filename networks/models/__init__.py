from networks.models.core import (
    Membership,
    Network,
    Program,
    ProgramRole,
)
from networks.models.imports import ImportFile, ImportRun, PossibleDuplicate

__all__ = [
    "ImportFile",
    "ImportRun",
    "Membership",
    "Network",
    "PossibleDuplicate",
    "Program",
    "ProgramRole",
]
