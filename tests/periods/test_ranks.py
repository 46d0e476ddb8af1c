"""Ranks over periods: career rank never falls; a manual override beats the calculation."""

from decimal import Decimal

import pytest

from saleor_mlm.calendar import PeriodEventKind
from saleor_mlm.calendar.models import PeriodEvent
from saleor_mlm.core.errors import DomainError
from saleor_mlm.periods.actions import close_period
from saleor_mlm.periods.models import PartnerPeriodResult, RankOverride
from saleor_mlm.periods.ranks import remove_rank_override, set_rank_override
from tests.fixtures.periods import CLOSER, after, plan_document

pytestmark = pytest.mark.django_db

# member pays level 1, star (from 1000 GV) levels 1 and 2 and 100.00 on reaching it.
RANKED_PLAN = plan_document(
    name="Ranked",
    bonuses={"level_rates": ["0.10", "0.05"]},
    ranks=[
        {"code": "member", "level_depth": 1},
        {"code": "star", "min_gv": 1000, "level_depth": 2, "advancement_bonus": "100.00"},
    ],
)
HR = "hr@example.com"
BOSS = "boss@example.com"


@pytest.fixture
def line(plan_version_factory, partner_factory):
    """root <- anna <- bernd, under the ranked plan."""
    plan_version_factory(RANKED_PLAN)
    root = partner_factory(first_name="Root")
    anna = partner_factory(root, first_name="Anna")
    bernd = partner_factory(anna, first_name="Bernd")
    return root, anna, bernd


def row(run, partner) -> PartnerPeriodResult:
    return PartnerPeriodResult.objects.get(run=run, partner=partner)


def error_of(call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_career_rank_never_falls_and_advancement_is_paid_once(line, month, volume, close_and_run):
    root, anna, _ = line
    figures = {}
    for label, anna_pv in (("2026-10", 1000), ("2026-11", 100), ("2026-12", 1000)):
        period = month(label)
        volume(root, period, 100)
        volume(anna, period, anna_pv)
        result = row(close_and_run(period), root)
        figures[label] = (result.paid_as_rank, result.career_rank, result.previous_career_rank, result.advancement_bonus)

    assert figures == {
        "2026-10": ("star", "star", "", Decimal("100")),
        "2026-11": ("member", "star", "star", Decimal(0)),
        "2026-12": ("star", "star", "star", Decimal(0)),
    }


def test_an_override_counts_as_paid_as_rank_bonuses_included(installation, line, month, volume, close_and_run):
    root, anna, bernd = line
    october = month("2026-10")
    for partner in line:
        volume(partner, october, 100)
    override = set_rank_override(installation, root, october, "star", "Rangschutz after parental leave", BOSS, HR)

    run = close_and_run(october)

    result = row(run, root)
    assert (result.calculated_rank, result.paid_as_rank, result.career_rank, result.rank_overridden) == ("member", "star", "star", True)
    # As a star: level 1 (anna, 10 %) and level 2 (bernd, 5 %), and the advancement bonus.
    assert (result.level_bonus, result.advancement_bonus, result.total) == (Decimal("15"), Decimal("100"), Decimal("115"))
    assert run.summary["statistics"]["rank_overrides"] == 1
    assert list(october.rank_overrides.all()) == [override]  # what the API's `Period.rankOverrides` lists
    event = PeriodEvent.objects.get(kind=PeriodEventKind.RANK_OVERRIDE_SET)
    assert (event.actor, event.data["rank"], event.data["approved_by"], event.reason) == (HR, "star", BOSS, "Rangschutz after parental leave")


def test_an_override_does_not_make_an_unqualified_partner_earn(installation, line, month, volume, close_and_run):
    root, anna, bernd = line
    october = month("2026-10")
    volume(root, october, 10)  # below active_min_pv 50
    volume(anna, october, 100)
    set_rank_override(installation, root, october, "star", "guarantee", BOSS, HR)

    run = close_and_run(october)

    result = row(run, root)
    assert (result.qualified, result.paid_as_rank, result.rank_overridden, result.total) == (False, "", False, Decimal(0))
    assert run.warnings == ["1 rank override(s) not applied: the partner did not qualify."]


def test_an_override_can_also_lower_a_rank(installation, line, month, volume, close_and_run):
    root, anna, bernd = line
    october = month("2026-10")
    volume(root, october, 100)
    volume(anna, october, 1000)
    volume(bernd, october, 100)
    set_rank_override(installation, root, october, "member", "compliance case: paid as member", BOSS, HR)

    result = row(close_and_run(october), root)

    assert (result.calculated_rank, result.paid_as_rank, result.career_rank) == ("star", "member", "member")
    assert (result.level_bonus, result.advancement_bonus) == (Decimal("100"), Decimal(0))  # level 1 only


def test_override_rules(installation, installation_factory, line, month, partner_factory, close_and_run):
    root = line[0]
    october = month("2026-10")

    assert error_of(set_rank_override, installation, root, october, "star", "why", HR, HR).code == "SAME_USER"
    assert error_of(set_rank_override, installation, root, october, "legend", "why", BOSS, HR).code == "UNKNOWN_RANK"
    assert error_of(set_rank_override, installation, root, october, "star", "", BOSS, HR).field == "reason"
    assert error_of(set_rank_override, installation, root, october, "star", "why", "", HR).field == "approved_by"
    stranger = partner_factory(installation=installation_factory())
    assert error_of(set_rank_override, installation, stranger, october, "star", "why", BOSS, HR).code == "WRONG_INSTALLATION"
    assert not RankOverride.objects.exists()

    close_and_run(october)
    assert error_of(set_rank_override, installation, root, october, "star", "why", BOSS, HR).code == "INVALID_STATUS"


def test_setting_an_override_again_replaces_it_and_removal_is_audited(installation, line, month):
    root = line[0]
    october = month("2026-10")
    set_rank_override(installation, root, october, "star", "first", BOSS, HR)
    override = set_rank_override(installation, root, october, "member", "second thoughts", BOSS, HR)

    assert RankOverride.objects.get().rank == "member"
    assert PeriodEvent.objects.filter(kind=PeriodEventKind.RANK_OVERRIDE_SET).last().data["previous_rank"] == "star"

    remove_rank_override(installation, override, HR, "not needed")

    assert not RankOverride.objects.exists()
    assert PeriodEvent.objects.get(kind=PeriodEventKind.RANK_OVERRIDE_REMOVED).reason == "not needed"


def test_a_career_rank_the_new_plan_does_not_know_is_dropped_with_a_warning(
    installation, line, month, volume, close_and_run, plan_version_factory
):
    root, anna, _ = line
    october = month("2026-10")
    volume(root, october, 100)
    volume(anna, october, 1000)
    close_and_run(october)
    renamed = plan_document(RANKED_PLAN, ranks=[{"code": "member", "level_depth": 1}, {"code": "gold", "min_gv": 1000, "level_depth": 2}])
    plan_version_factory(renamed, active_from="2026-11")
    november = month("2026-11")
    volume(root, november, 100)

    run = close_period(installation, november, CLOSER, now=after(november), enqueue=False)
    from saleor_mlm.periods.runs import execute_run

    run = execute_run(run.pk)

    assert row(run, root).previous_career_rank == ""
    assert run.warnings == ["Career rank 'star' is not a rank of the plan in force; it is ignored."]


def test_the_upline_sees_the_overridden_rank(installation, plan_version_factory, partner_factory, month, volume, close_and_run):
    plan_version_factory(
        plan_document(
            name="Difference",
            ranks=[
                {"code": "member", "difference_rate": "0.05"},
                {"code": "star", "min_gv": 1000, "difference_rate": "0.10"},
            ],
            bonuses={},
        )
    )
    root = partner_factory()
    anna = partner_factory(root)
    october = month("2026-10")
    volume(root, october, 1000)
    volume(anna, october, 100)
    set_rank_override(installation, anna, october, "star", "Rangschutz", BOSS, HR)

    run = close_and_run(october)

    # As a member, anna would earn 5 % of her 100.00 and root (a star) 10 % - 5 % of it;
    # paid as a star she earns 10 %, and root's difference on her volume is gone.
    assert (row(run, anna).difference_bonus, row(run, anna).calculated_rank) == (Decimal("10"), "member")
    assert row(run, root).difference_bonus == Decimal("100")  # 10 % of root's own 1000.00 only
    assert run.warnings == []


def test_an_imported_career_rank_counts_until_a_period_settled_here_has_one(line, month, volume, close_and_run, partner_factory):
    """A partner moved in with `network import` keeps the career rank it had (no second
    advancement bonus); one imported after a period settled starts from it too."""
    root, anna, _ = line
    root.imported_career_rank = "star"
    root.save(update_fields=["imported_career_rank"])
    october = month("2026-10")
    volume(root, october, 100)
    volume(anna, october, 1000)

    result = row(close_and_run(october), root)

    assert (result.previous_career_rank, result.career_rank, result.advancement_bonus) == ("star", "star", Decimal(0))
    late = partner_factory(root, first_name="Late", imported_career_rank="star")
    november = month("2026-11")
    volume(root, november, 100)
    assert row(close_and_run(november), late).previous_career_rank == "star"
