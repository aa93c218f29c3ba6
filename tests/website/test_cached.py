"""cached() and cached_many() (website.cache): a value is computed once and then served from
the cache, until the data change; each generation's values are stored under it as the
cache's version, apart from every other's; with DATA_CACHE_SECONDS at 0 nothing is cached."""

import pytest
from django.core.cache import cache

from directory.models import Organization
from website import cache as caching
from website.cache import cache_key, cached, cached_many

pytestmark = pytest.mark.django_db

KEY = cache_key("test", "answer")


class Computed:
    """A compute() that counts its calls and answers the next of `values`."""

    def __init__(self, *values):
        self.values = list(values)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.values.pop(0)


class ComputedMissing:
    """A compute_missing() that records the keys it is asked for and answers `value(key)` for
    each but those it leaves out."""

    def __init__(self, left_out=()):
        self.asked = []
        self.left_out = set(left_out)

    def __call__(self, missing):
        self.asked.append(list(missing))
        return {key: value(key) for key in missing if key not in self.left_out}


def value(key):
    return f"value of {key}"


def test_a_value_is_computed_once_then_served_from_the_cache():
    compute = Computed("first", "second")
    assert cached(KEY, compute) == "first"
    assert cached(KEY, compute) == "first"
    assert compute.calls == 1


def test_a_falsy_value_is_cached_but_none_is_not():
    zero = Computed(0, 1)
    assert [cached(cache_key("zero"), zero), cached(cache_key("zero"), zero)] == [0, 0]
    nothing = Computed(None, "something")
    assert cached(KEY, nothing) is None
    assert cached(KEY, nothing) == "something"
    assert nothing.calls == 2


def test_a_change_to_the_data_makes_a_cached_value_stale():
    compute = Computed("before", "after", "after a bulk change")
    assert cached(KEY, compute) == "before"
    Organization.objects.create(name_en="Changes The Data", kind="ngo")
    assert cached(KEY, compute) == "after"
    caching.data_changed()  # as a merge or an import says so, after their bulk updates
    assert cached(KEY, compute) == "after a bulk change"
    assert cached(KEY, compute) == "after a bulk change"
    assert compute.calls == 3


def test_a_value_computed_across_a_change_is_not_served_after_it():
    def computed_while_the_data_change():
        caching.data_changed()
        return "read before the change"

    assert cached(KEY, computed_while_the_data_change) == "read before the change"
    assert cached(KEY, Computed("read after the change")) == "read after the change"


def test_each_generation_stores_its_values_as_the_caches_version():
    before = caching.current_generation()
    cached(KEY, Computed("before"))
    caching.bump_generation()
    after = caching.current_generation()
    cached(KEY, Computed("after"))
    assert after != before
    assert cache.get(KEY, version=before) == "before"
    assert cache.get(KEY, version=after) == "after"
    # nothing under the key itself, which the default version would find
    assert cache.get(KEY) is None


def test_nothing_is_cached_when_the_setting_is_zero(settings):
    settings.DATA_CACHE_SECONDS = 0
    compute = Computed("first", "second")
    assert [cached(KEY, compute), cached(KEY, compute)] == ["first", "second"]
    compute_missing = ComputedMissing()
    keys = [cache_key("test", n) for n in range(2)]
    cached_many(keys, compute_missing)
    cached_many(keys, compute_missing)
    assert compute_missing.asked == [keys, keys]
    generation = caching.current_generation()
    assert cache.get_many([KEY, *keys], version=generation) == {}


def test_nothing_is_cached_while_the_cache_has_no_generation(monkeypatch):
    """As when Redis does not answer the generation's read but answers the next call."""
    monkeypatch.setattr(caching, "current_generation", lambda: None)
    compute = Computed("first", "second")
    assert [cached(KEY, compute), cached(KEY, compute)] == ["first", "second"]
    compute_missing = ComputedMissing()
    assert cached_many([KEY], compute_missing) == {KEY: value(KEY)}
    assert cached_many([KEY], compute_missing) == {KEY: value(KEY)}
    assert compute_missing.asked == [[KEY], [KEY]]
    assert cache.get(KEY) is None


def test_a_call_site_may_give_its_own_lifetime(settings):
    settings.DATA_CACHE_SECONDS = 0
    compute = Computed("first", "second", "third")
    assert [cached(KEY, compute, 60), cached(KEY, compute, 60)] == ["first", "first"]
    settings.DATA_CACHE_SECONDS = 600
    assert [cached(KEY, compute, 0), cached(KEY, compute, 0)] == ["second", "third"]


def test_many_values_are_computed_only_where_missing_in_the_order_asked():
    first, second, third = (cache_key("test", n) for n in range(3))
    compute_missing = ComputedMissing()
    assert cached_many([second], compute_missing) == {second: value(second)}
    found = cached_many([third, second, first], compute_missing)
    assert found == {key: value(key) for key in (first, second, third)}
    assert compute_missing.asked == [[second], [third, first]]
    assert cached_many([first, second, third], compute_missing) == found
    assert len(compute_missing.asked) == 2


def test_a_key_left_out_by_compute_missing_is_neither_cached_nor_answered():
    present, gone = cache_key("test", "present"), cache_key("test", "gone")
    compute_missing = ComputedMissing(left_out=[gone])
    assert cached_many([present, gone], compute_missing) == {present: value(present)}
    assert cached_many([present, gone], compute_missing) == {present: value(present)}
    assert compute_missing.asked == [[present, gone], [gone]]


def test_many_values_go_stale_with_the_data():
    keys = [cache_key("test", n) for n in range(2)]
    compute_missing = ComputedMissing()
    cached_many(keys, compute_missing)
    Organization.objects.create(name_en="Changes The Data Again", kind="ngo")
    cached_many(keys, compute_missing)
    assert compute_missing.asked == [keys, keys]


def test_a_key_names_its_kind_and_everything_the_value_depends_on():
    key = cache_key("page", "https", "example.org", "/en/", "en")
    assert key.startswith("page:")
    assert key == cache_key("page", "https", "example.org", "/en/", "en")
    assert key != cache_key("page", "https", "example.org", "/zh-hans/", "zh-hans")
    assert key != cache_key("fragment", "https", "example.org", "/en/", "en")
    # parts are told apart, however they would read run together
    assert cache_key("test", "a", "bc") != cache_key("test", "ab", "c")
