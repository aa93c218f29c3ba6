from networks.models.committee import CommitteeSession, Decision, Vote, VoteCast
from networks.models.core import (
    Membership,
    Network,
    Program,
    ProgramRole,
)
from networks.models.imports import ImportFile, ImportRun, PossibleDuplicate

__all__ = [
    "CommitteeSession",
    "Decision",
    "ImportFile",
    "ImportRun",
    "Membership",
    "Network",
    "PossibleDuplicate",
    "Program",
    "ProgramRole",
    "Vote",
    "VoteCast",
]
