"""Random sequences of sponsor and care changes against a plain Python model of the graph:
the domain refuses exactly the changes that would close a cycle (or are otherwise
illegal), and the stored network stays acyclic."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.actions import assign_care, change_sponsor, unassign_care
from saleor_mlm.network.fetch import load_network_arrays
from saleor_mlm.network.models import Partner

N = 6
_installations = itertools.count(1)

target = st.one_of(st.none(), st.integers(0, N - 1))
operation = st.one_of(
    st.tuples(st.just("sponsor"), st.integers(0, N - 1), target),
    st.tuples(st.just("care"), st.integers(0, N - 1), st.integers(0, N - 1)),
    st.tuples(st.just("uncare"), st.integers(0, N - 1), st.none()),
)


def reaches(edges: dict[int, set[int]], start: int, goal: int) -> bool:
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return False


def acyclic(arrays) -> bool:
    edges = {i: {p for p in (arrays.sponsor[i], arrays.care[i]) if p >= 0} for i in range(len(arrays))}
    return not any(reaches(edges, p, i) for i in edges for p in edges[i])


@pytest.mark.slow
@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(operation, max_size=25))
def test_refusals_match_the_model_and_the_graph_stays_acyclic(operations):
    n = next(_installations)
    installation = Installation.objects.create(saleor_api_url=f"https://prop-{n}.example.com/graphql/", encrypted_auth_token="x")
    partners = [
        Partner.objects.create(installation=installation, email=f"{i}@example.com", referral_code=f"Q{n}X{i}", enrolled_at="2025-01-01T00:00Z")
        for i in range(N)
    ]
    sponsor: dict[int, int | None] = dict.fromkeys(range(N))
    care: dict[int, int | None] = dict.fromkeys(range(N))

    def edges():
        return {i: {p for p in (sponsor[i], care[i]) if p is not None} for i in range(N)}

    for kind, i, j in operations:
        if kind == "sponsor":
            if j == sponsor[i]:
                expected = "noop"
            elif j is not None and (i == j or reaches(edges(), j, i)):
                expected = "CYCLE"
            else:
                expected = "ok"
            try:
                change_sponsor(partners[i], partners[j] if j is not None else None, changed_by="t", reason="r")
                outcome = "noop" if expected == "noop" else "ok"
            except DomainError as error:
                outcome = error.code
            assert outcome == expected, (kind, i, j)
            if outcome == "ok":
                sponsor[i] = j
                if care[i] == j:
                    care[i] = None  # the Betreuer became the sponsor
        elif kind == "care":
            if i == j:
                expected = "SELF_CARE"
            elif sponsor[i] == j:
                expected = "CARE_IS_SPONSOR"
            elif care[i] == j:
                expected = "ok"  # same Betreuer, same share: no-op
            elif reaches(edges(), j, i):
                expected = "CYCLE"
            else:
                expected = "ok"
            try:
                assign_care(partners[i], partners[j], share="0.5", set_by="t")
                outcome = "ok"
            except DomainError as error:
                outcome = error.code
            assert outcome == expected, (kind, i, j)
            if outcome == "ok":
                care[i] = j
        else:
            unassign_care(partners[i], set_by="t")
            care[i] = None

    arrays = load_network_arrays(installation)
    assert arrays.sponsor == [sponsor[i] if sponsor[i] is not None else -1 for i in range(N)]
    assert arrays.care == [care[i] if care[i] is not None else -1 for i in range(N)]
    assert acyclic(arrays)
