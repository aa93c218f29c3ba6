from django.core.management import call_command
from django.core.management.base import BaseCommand

from directory.models import Organization

# In loading order: vocabularies and sources first, then what refers to them.
FIXTURES = ["vocabularies", "sources", "organizations", "people", "networks", "events", "programs"]


class Command(BaseCommand):
    help = (
        "Load the records stated by the source articles (fixtures/*.json). Records are matched "
        "by their natural keys (slugs and the like), never by row id: loading again updates "
        "them to the fixture values and creates no duplicates. With --if-empty, nothing is "
        "loaded into a directory that already holds organizations, so local edits survive "
        "`make run`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the directory holds no organizations yet.",
        )

    def handle(self, *args, if_empty=False, verbosity=1, **options):
        if if_empty and Organization.objects.exists():
            self.stdout.write("The directory already holds data; fixtures not loaded.")
            return
        call_command("loaddata", *FIXTURES, verbosity=verbosity, stdout=self.stdout)
