from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Revoke the API tokens of the named users: each token is deleted, so the next "
        "request that presents it is refused (401) at once. The user keeps the account; "
        "`drf_create_token USERNAME` gives a new token when one is wanted. Unknown usernames "
        "are refused and nothing is revoked."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+", metavar="USERNAME")

    def handle(self, *args, usernames, **options):
        users = get_user_model()._default_manager
        found = {
            user.get_username(): user
            for user in users.filter(**{f"{users.model.USERNAME_FIELD}__in": usernames})
        }
        unknown = [name for name in usernames if name not in found]
        if unknown:
            raise CommandError(f"No such user: {', '.join(unknown)}. Nothing was revoked.")
        for name in usernames:
            deleted, _ = Token.objects.filter(user=found[name]).delete()
            if deleted:
                self.stdout.write(f"Revoked the API token of {name}.")
            else:
                self.stdout.write(f"{name} has no API token; nothing to revoke.")
