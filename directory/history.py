"""Named change sets: many changes made as one act (an import, a merge) are recorded in each
record's history under one reason, with the editor who made them, so that the act can be
found and reviewed as a whole."""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property

from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

_current_change_set: ContextVar[tuple[str, object] | None] = ContextVar(
    "directory_change_set", default=None
)


@contextmanager
def change_set(reason: str, user=None):
    """Record every change made inside the block with this reason (and this user, where no
    request names one)."""
    token = _current_change_set.set((reason, user))
    try:
        yield
    finally:
        _current_change_set.reset(token)


def label_historical_record(sender, history_instance, **kwargs):
    current = _current_change_set.get()
    if current is None:
        return
    reason, user = current
    history_instance.history_change_reason = reason
    if user is not None and history_instance.history_user_id is None:
        history_instance.history_user_id = user.pk


def connect():
    pre_create_historical_record.connect(
        label_historical_record, dispatch_uid="directory-change-set"
    )


class HistoryBuiltOnce(HistoryDescriptor):
    """`record.history` with its manager class built once. simple-history's descriptor builds
    a new class on every access (from_queryset, which inspects every method of the queryset),
    and saving a record reads it, so an import that saves many records spent a noticeable
    part of its Python time building the same class again."""

    @cached_property
    def manager(self):
        return self.manager_class.from_queryset(self.queryset_class)

    def __get__(self, instance, owner):
        return self.manager(self.model, instance)


class HistoricalRecordsBuiltOnce(HistoricalRecords):
    """simple-history's HistoricalRecords, with HistoryBuiltOnce as each model's `history`."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(self.manager_name)
        if type(descriptor) is HistoryDescriptor:
            setattr(
                sender,
                self.manager_name,
                HistoryBuiltOnce(
                    descriptor.model, descriptor.manager_class, descriptor.queryset_class
                ),
            )
