"""`Statement.lines` pages a statement's lines (largest amount first) and
`StatementBonus.groups` sums them per level, rate and generation."""

from decimal import ROUND_HALF_UP, Decimal

from tests.fixtures.graphql import ANNA_USER

LINES = """
query Lines($period: String!, $first: Int, $after: String, $kind: BonusKindEnum) {
  me {
    partner {
      statement(period: $period) {
        bonuses { kind amount lineTotal lineCount groups { level rate count volume amount } lines { kind sourceName level volume rate amount } }
        lines(first: $first, after: $after, kind: $kind) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage endCursor }
          edges { node { kind sourceId sourceName level volume rate amount } }
        }
      }
    }
  }
}
"""


def key(line):
    return (line["kind"], line["sourceName"], line["level"], line["volume"], line["rate"], line["amount"])


def test_pages_of_lines_cover_the_statement(gql, storefront, period_network):
    variables = {"period": period_network.last_month.label, "first": 2}
    pages, after = [], None
    while True:
        result = gql(LINES, {**variables, "after": after}, as_=storefront(ANNA_USER))
        assert result.errors == []
        statement = result.data["me"]["partner"]["statement"]
        connection = statement["lines"]
        pages += [edge["node"] for edge in connection["edges"]]
        assert connection["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    every = [line for bonus in statement["bonuses"] for line in bonus["lines"]]
    assert len(pages) == connection["totalCount"] == len(every) == sum(b["lineCount"] for b in statement["bonuses"]) > 2
    assert sorted(map(key, pages)) == sorted(map(key, every))
    amounts = [Decimal(line["amount"]) for line in pages]
    assert amounts == sorted(amounts, reverse=True)
    for bonus in statement["bonuses"]:
        assert sum(group["count"] for group in bonus["groups"]) == bonus["lineCount"]
        total = sum((Decimal(line["amount"]) for line in bonus["lines"]), Decimal(0))
        assert Decimal(bonus["lineTotal"]) == total.quantize(Decimal("1e-6"), rounding=ROUND_HALF_UP)
        # each group rounded on its own: within half a unit of the 6th place per group
        assert abs(sum(Decimal(group["amount"]) for group in bonus["groups"]) - total) <= Decimal("0.5e-6") * len(bonus["groups"])


def test_lines_of_one_bonus(gql, storefront, period_network):
    result = gql(LINES, {"period": period_network.last_month.label, "first": 100, "kind": "LEVEL"}, as_=storefront(ANNA_USER))
    statement = result.data["me"]["partner"]["statement"]
    level = next(bonus for bonus in statement["bonuses"] if bonus["kind"] == "LEVEL")
    assert [edge["node"]["kind"] for edge in statement["lines"]["edges"]] == ["LEVEL"] * level["lineCount"]
    assert statement["lines"]["totalCount"] == level["lineCount"]


def test_a_bad_cursor_is_an_error(gql, storefront, period_network):
    result = gql(LINES, {"period": period_network.last_month.label, "after": "nonsense"}, as_=storefront(ANNA_USER))
    assert result.errors and "cursor" in result.errors[0]["message"]
