"""Read settings from the environment, refusing values that cannot be meant."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name)
    if not raw:
        return default
    if raw.lower() in TRUE_WORDS:
        return True
    if raw.lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, minimum: int | None = None, meaning: str = "") -> int:
    """The variable as a whole number, at least `minimum` if given; `meaning` says what the
    minimum means ("0 (no limit)")."""
    raw = env_str(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be {meaning or minimum} or more, not {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def refuse_retired(names: list[str], instead: str) -> None:
    """Stop start-up if the environment sets a variable that is no longer read: a deployment
    that set one would otherwise lose its effect without a word."""
    for name in names:
        if env_str(name):
            raise ImproperlyConfigured(f"{name} is no longer read: set {instead} instead.")
