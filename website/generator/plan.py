"""How much to generate, and what the generating stages share."""

import random
import time
from dataclasses import dataclass, field

from website.generator.names import (
    CITIES,
    EVENT_FORMS,
    PROGRAM_FORMS,
    REGIONS,
    THEMES,
    organization_name_space,
)

EVENT_YEARS = range(2005, 2027)
# Sources, networks and programs grow with the directory, one per this many organizations.
ORGANIZATIONS_PER_SOURCE = 1000
ORGANIZATIONS_PER_NETWORK = 500
ORGANIZATIONS_PER_PROGRAM = 250
# Enough networks for a small data set to have a few memberships per organization; at most
# as many as there are distinct network names (a region and a theme).
MIN_NETWORKS, MAX_NETWORKS = 20, len(REGIONS) * len(THEMES)
# Memberships are drawn at random and redrawn when the pair is taken; beyond this share of
# all possible pairs, redrawing would take long.
MAX_MEMBERSHIP_SHARE = 0.25
PROGRESS_STEP = 20_000


class PlanError(ValueError):
    """Counts that cannot be generated, with the reason in words."""


@dataclass(frozen=True)
class Plan:
    organizations: int
    people: int
    memberships: int
    events: int

    @property
    def sources(self) -> int:
        return max(1, self.organizations // ORGANIZATIONS_PER_SOURCE)

    @property
    def networks(self) -> int:
        return min(MAX_NETWORKS, max(MIN_NETWORKS, self.organizations // ORGANIZATIONS_PER_NETWORK))

    @property
    def programs(self) -> int:
        distinct_names = (len(REGIONS) + len(CITIES)) * len(THEMES) * len(PROGRAM_FORMS)
        return min(distinct_names, max(1, self.organizations // ORGANIZATIONS_PER_PROGRAM))

    def check(self):
        for name in ("organizations", "people", "memberships", "events"):
            if getattr(self, name) < 0:
                raise PlanError(f"--{name} cannot be negative.")
        if self.organizations < 1:
            raise PlanError(
                "--organizations must be at least 1: every other record refers to organizations."
            )
        if self.organizations > organization_name_space():
            raise PlanError(
                f"At most {organization_name_space():,} organizations can be "
                f"given distinct names; asked for {self.organizations:,}."
            )
        possible = int(self.organizations * self.networks * MAX_MEMBERSHIP_SHARE)
        if self.memberships > possible:
            raise PlanError(
                f"At most {possible:,} memberships fit {self.organizations:,} "
                f"organizations in {self.networks:,} networks; asked for "
                f"{self.memberships:,}."
            )
        events = len(CITIES) * len(THEMES) * len(EVENT_FORMS) * len(EVENT_YEARS)
        if self.events > events:
            raise PlanError(
                f"At most {events:,} events can be given distinct names; asked for {self.events:,}."
            )

    def describe(self) -> str:
        return (
            f"{self.organizations:,} organizations, {self.people:,} people, "
            f"{self.memberships:,} memberships, {self.events:,} events, "
            f"{self.networks:,} networks, {self.programs:,} programs, "
            f"{self.sources:,} sources"
        )


@dataclass
class Context:
    """The plan, the seed, and the ids each stage leaves for the next ones."""

    plan: Plan
    seed: int
    out: callable = print
    started: float = field(default_factory=time.perf_counter)
    sources: list = field(default_factory=list)
    cities: dict = field(default_factory=dict)  # Chinese name -> City id
    fields: dict = field(default_factory=dict)  # slug -> FieldOfWork id
    organizations: list = field(default_factory=list)
    # An organization's founding year, where it has one: nothing it does starts before.
    founded: dict = field(default_factory=dict)
    people: list = field(default_factory=list)
    # For each person, their first position: (organization id, title_zh, title_en), or None.
    positions: list = field(default_factory=list)
    networks: list = field(default_factory=list)  # (id, kind, founded year)
    events: list = field(default_factory=list)
    last_progress: dict = field(default_factory=dict)  # stage -> records done

    def rng(self, stage: str) -> random.Random:
        """A generator of its own for each stage, so that one stage's draws never shift
        another's (string seeds are hashed the same way in every run)."""
        return random.Random(f"{self.seed}:{stage}")

    def cite(self, rng: random.Random) -> list:
        """The sources a record cites: one, or for one record in ten, two."""
        first = rng.choice(self.sources)
        if len(self.sources) > 1 and rng.random() < 0.1:
            second = rng.choice(self.sources)
            return [first] if second == first else [first, second]
        return [first]

    def progress(self, label: str, done: int, total: int):
        """Say how far a stage is: each time it passes a multiple of PROGRESS_STEP records,
        and at its end."""
        previous = self.last_progress.get(label, 0)
        self.last_progress[label] = done
        if (
            done == total and previous != total
        ) or done // PROGRESS_STEP > previous // PROGRESS_STEP:
            self.out(
                f"  {label}: {done:,} / {total:,} ({time.perf_counter() - self.started:.0f} s)"
            )
