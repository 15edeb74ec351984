"""The generation of the public content and what is kept per generation (GenerationMemo)."""

from __future__ import annotations

from types import SimpleNamespace

from django.db import transaction

import pytest

from content_types.public_generation import (
    GenerationMemo,
    public_generation_bump,
    public_state,
)

pytestmark = pytest.mark.django_db


def a_request() -> SimpleNamespace:
    return SimpleNamespace()  # public_state keeps the generation it read on the request


def test_a_value_is_kept_until_the_generation_moves():
    memo = GenerationMemo(size=4)
    builds = []

    def build():
        builds.append(1)
        return len(builds)

    assert memo.get("page", build, a_request()) == 1
    assert memo.get("page", build, a_request()) == 1
    public_generation_bump()
    assert memo.get("page", build, a_request()) == 2


def test_the_least_recently_used_value_goes_first():
    memo = GenerationMemo(size=2)
    memo.get("a", lambda: "A")
    memo.get("b", lambda: "B")
    memo.get("a", lambda: "A")  # "a" used again: "b" is now the oldest
    memo.get("c", lambda: "C")
    assert sorted(memo.held()) == ["a", "c"]


def test_a_value_built_before_a_publish_never_serves_the_new_generation():
    """A threaded server: a build that began before a publish ends after a reader of the new
    generation has come and gone."""
    memo = GenerationMemo(size=4)
    before = a_request()
    public_state(before)

    def slow_build():
        public_generation_bump()  # a publish commits while this build reads the database
        assert memo.get("page", lambda: "new", a_request()) == "new"
        return "old"

    assert memo.get("page", slow_build, before) == "old"  # its own reader gets it
    assert memo.get("page", lambda: "rebuilt", a_request()) != "old"


def test_nothing_is_kept_inside_a_transaction_holding_a_public_change():
    memo = GenerationMemo(size=4)
    with transaction.atomic():
        transaction.on_commit(public_generation_bump)
        assert memo.get("page", lambda: "uncommitted") is None
        assert memo.fetch("page", lambda: "uncommitted") == "uncommitted"  # built, not kept
        transaction.set_rollback(True)
    assert memo.held() == []
