"""Events' search texts again: their venues are now searched too (Event.search_forms)."""

from django.db import migrations

from directory.search import refill_operation


class Migration(migrations.Migration):
    dependencies = [("events", "0007_name_order_keys")]

    operations = [refill_operation("events.Event")]
