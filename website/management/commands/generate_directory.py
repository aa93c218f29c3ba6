from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from website.generator.dataset import generate
from website.generator.plan import Plan, PlanError


class Command(BaseCommand):
    help = (
        "Fill the database with a generated, realistic directory for benchmarks and load "
        "tests: organizations with Chinese and English names, other names and identifiers, "
        "people and their positions, networks and memberships, programs, and events with "
        "sessions, talks and participations, every record citing a generated source (marked "
        "as not real). The same --seed and counts give the same records. Everything is "
        "written in one transaction. A database that already holds generated data is "
        "refused: there is no appending, so that a data set is always one known run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, default=1000)
        parser.add_argument("--people", type=int, help="Default: half as many as organizations.")
        parser.add_argument(
            "--memberships", type=int, help="Default: three times as many as organizations."
        )
        parser.add_argument("--events", type=int, help="Default: one for every 50 organizations.")
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Another seed gives another data set of the same shape.",
        )

    def handle(self, *args, organizations, people, memberships, events, seed, **options):
        plan = Plan(
            organizations=organizations,
            people=organizations // 2 if people is None else people,
            memberships=organizations * 3 if memberships is None else memberships,
            events=organizations // 50 if events is None else events,
        )
        try:
            generate(plan, seed, out=self.stdout.write)
        except PlanError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            raise CommandError(f"Nothing was generated: {error}") from error
        self.stdout.write(self.style.SUCCESS("Generated."))
