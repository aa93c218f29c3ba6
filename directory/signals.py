"""Keep search texts and name order keys current where save() does not run: fixture loads and
restored backups (raw saves), and changes to an organization's other names. Keep the large
tables' row counts' triggers in place after every migrate and flush
(directory.models.counts)."""

from django.db.models.signals import post_delete, post_migrate, post_save

from directory.models import Organization, OrganizationName
from directory.models.base import Named, Searchable
from directory.models.counts import keep_counts

COUNTED = [Organization]


def store_search_text_after_raw_save(sender, instance, raw=False, **kwargs):
    if raw and isinstance(instance, Named):
        instance.store_sort_keys()
    if raw and isinstance(instance, Searchable):
        instance.store_search_text()


def store_organization_search_text(sender, instance, raw=False, **kwargs):
    organization = (
        type(instance.organization)._default_manager.filter(pk=instance.organization_id).first()
    )
    if organization is not None:
        organization.store_search_text()


def count_rows_after_migrate(sender, using="default", **kwargs):
    if sender.label == "directory":
        keep_counts(COUNTED, using=using)


def connect():
    post_migrate.connect(count_rows_after_migrate, dispatch_uid="directory-row-counts")
    post_save.connect(
        store_search_text_after_raw_save, dispatch_uid="directory-search-text-raw-save"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            store_organization_search_text,
            sender=OrganizationName,
            dispatch_uid=f"directory-other-names-{signal is post_save}",
        )
