"""Programs of an installation: the default program, plan versions per program, the plan
in force per program, the program's metadata keys."""

import datetime

import pytest

from saleor_mlm.core.errors import DomainError
from saleor_mlm.plans.actions import activate_plan_version, create_plan_version
from saleor_mlm.plans.fetch import plan_in_force
from saleor_mlm.programs import DEFAULT_CODE, DEFAULT_NAME, ProductScope
from saleor_mlm.programs.fetch import default_program, programs_of
from saleor_mlm.programs.models import Program
from tests.fixtures.periods import SIMPLE_PLAN

pytestmark = pytest.mark.django_db


def test_an_installation_gets_its_default_program_once(installation):
    first = default_program(installation.pk)
    again = default_program(installation.pk)

    assert first == again
    assert (first.code, first.name, first.is_default, first.products) == (DEFAULT_CODE, DEFAULT_NAME, True, ProductScope.ALL)
    assert Program.objects.filter(installation=installation).count() == 1


def test_programs_of_lists_the_default_first(installation):
    wellness = Program.objects.create(installation=installation, code="a-wellness", name="Wellness")

    assert [program.code for program in programs_of(installation.pk)] == [DEFAULT_CODE, wellness.code]


def test_plan_versions_go_to_the_default_program_unless_given(installation, plan_version_factory):
    version = plan_version_factory(active_from=None)
    wellness = Program.objects.create(installation=installation, code="wellness", name="Wellness")
    other = create_plan_version(installation, "Wellness-Plan", SIMPLE_PLAN, "planner@example.com", program=wellness)

    assert version.program == default_program(installation.pk)
    assert other.program == wellness


def test_a_program_of_another_shop_is_refused(installation, installation_factory):
    foreign = Program.objects.create(installation=installation_factory(), code="wellness", name="Wellness")

    with pytest.raises(DomainError) as refused:
        create_plan_version(installation, "Plan", SIMPLE_PLAN, "planner@example.com", program=foreign)

    assert (refused.value.code, refused.value.field) == ("INVALID", "program")
    assert not foreign.plan_versions.exists()


def test_each_program_has_its_own_plan_in_force(installation, plan_version_factory):
    main = plan_version_factory(name="Karriereplan", active_from="2026-01")
    wellness = Program.objects.create(installation=installation, code="wellness", name="Wellness")
    draft = create_plan_version(installation, "Wellness-Plan", SIMPLE_PLAN, "planner@example.com", program=wellness)
    # The same month as the default program's plan: one active start per month *per program*.
    other = activate_plan_version(draft, "2026-01", "planner@example.com")
    day = datetime.date(2026, 3, 1)

    assert plan_in_force(installation.pk, day) == main
    assert plan_in_force(installation.pk, day, main.program_id) == main
    assert plan_in_force(installation.pk, day, wellness.pk) == other
    assert plan_in_force(installation.pk, datetime.date(2025, 12, 1), wellness.pk) is None


def test_a_programs_metadata_keys_are_named_by_its_code(installation):
    wellness = Program(installation=installation, code="wellness", name="Wellness")

    assert wellness.metadata_key("mlm.pv") == "mlm.wellness.pv"
    assert wellness.metadata_key("mlm.bv") == "mlm.wellness.bv"
    assert wellness.metadata_key("pv") == "wellness.pv"
