"""The tree lock serializes tree writes: two moves that are each legal but together close
a cycle cannot both succeed."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network import cycles
from saleor_mlm.network.actions import change_sponsor, partners
from saleor_mlm.network.lock_objects import network_tree_lock, tree_lock_key
from saleor_mlm.network.models import Partner

OWNER = "owner@shop.example"


def slow_cycle_check(monkeypatch):
    """Widen the window between checking and writing, where a second writer would slip in."""
    original = cycles.reaches_upwards

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(cycles, "reaches_upwards", slow)


def run_concurrently(*moves: tuple[Partner, Partner]) -> list:
    """Each move `(node, new_sponsor)` in its own thread, all at once; the outcomes."""
    barrier = threading.Barrier(len(moves))
    outcomes: list = [None] * len(moves)

    def move(index, node, new_sponsor):
        try:
            barrier.wait()
            change_sponsor(node, new_sponsor, changed_by=OWNER, reason="race")
            outcomes[index] = "ok"
        except DomainError as error:
            outcomes[index] = error.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move, args=(i, *pair)) for i, pair in enumerate(moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_partners_made_each_others_sponsor_at_once_one_wins(partner_factory, monkeypatch):
    assert connection.vendor == "postgresql"
    a = partner_factory()
    b = partner_factory()
    slow_cycle_check(monkeypatch)

    outcomes = run_concurrently((a, b), (b, a))

    assert sorted(outcomes) == ["CYCLE", "ok"]
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.sponsor_id == b.pk) != (b.sponsor_id == a.pk)


def four_nodes(partner_factory):
    """c -> b and d -> a. Moving a under c and b under d is legal one at a time, a cycle
    (a -> c -> b -> d -> a) together, and the two moves touch disjoint rows, so row
    locks alone would not order them."""
    a = partner_factory()
    b = partner_factory()
    c = partner_factory(b)
    d = partner_factory(a)
    return a, b, c, d


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_moves_on_disjoint_rows_that_together_close_a_cycle_one_wins(partner_factory, monkeypatch):
    a, b, c, d = four_nodes(partner_factory)
    slow_cycle_check(monkeypatch)

    outcomes = run_concurrently((a, c), (b, d))

    assert sorted(outcomes) == ["CYCLE", "ok"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_both_would_win(partner_factory, monkeypatch):
    """The control: the same race with the lock taken away closes the cycle, so the test
    above measures the lock and not luck."""
    a, b, c, d = four_nodes(partner_factory)
    slow_cycle_check(monkeypatch)
    monkeypatch.setattr(partners, "network_tree_lock", lambda installation_id: None)

    outcomes = run_concurrently((a, c), (b, d))

    assert outcomes == ["ok", "ok"]
    now = timezone.now()
    assert cycles.reaches_upwards(c.pk, a.pk, now) and cycles.reaches_upwards(a.pk, c.pk, now)  # a cycle
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.sponsor_id, b.sponsor_id) == (c.pk, d.pk)
    Partner.objects.update(sponsor=None)  # PROTECT: let the flush delete the rows


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_lock_blocks_a_second_transaction_until_commit(installation):
    """A second connection cannot take the same installation's lock while it is held."""
    acquired = threading.Event()
    release = threading.Event()

    def holder():
        with transaction.atomic():
            network_tree_lock(installation.pk)
            acquired.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=holder)
    thread.start()
    assert acquired.wait(10)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [tree_lock_key(installation.pk)])
        assert cursor.fetchone()[0] is False
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [tree_lock_key(installation.pk + 1)])
        assert cursor.fetchone()[0] is True  # other installations are not blocked
        cursor.execute("SELECT pg_advisory_unlock(%s)", [tree_lock_key(installation.pk + 1)])
    release.set()
    thread.join(10)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [tree_lock_key(installation.pk)])
        assert cursor.fetchone()[0] is True  # released at commit
        cursor.execute("SELECT pg_advisory_unlock(%s)", [tree_lock_key(installation.pk)])


def test_lock_outside_a_transaction_is_a_programming_error():
    # No `db` fixture: no transaction is open, and the check comes before any query.
    with pytest.raises(RuntimeError):
        network_tree_lock(1)


def test_lock_keys_fit_a_signed_bigint():
    assert 0 < tree_lock_key(2**32 - 1) < 2**63
    assert tree_lock_key(1) != tree_lock_key(2)
