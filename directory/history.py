"""Named change sets: many changes made as one act (an import, a merge) are recorded in each
record's history under one reason, with the editor who made them, so that the act can be
found and reviewed as a whole."""

from contextlib import contextmanager
from contextvars import ContextVar

from simple_history.signals import pre_create_historical_record

_current_change_set: ContextVar[tuple[str, object] | None] = ContextVar(
    "directory_change_set", default=None)


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
    pre_create_historical_record.connect(label_historical_record,
                                         dispatch_uid="directory-change-set")
