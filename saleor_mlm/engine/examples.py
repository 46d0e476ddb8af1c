"""The example plan of the compensation contract (docs/compensation.md, section 5), as data.

One copy for the demo, the demo periods and the tests.
"""

EXAMPLE_PLAN = {
    "name": "Example career plan",
    "currency": "EUR",
    "active_min_pv": 50,
    "compression": "dynamic",
    "breakaway_rank": "manager",
    "bonuses": {
        "customer_rate": "0.05",
        "level_rates": ["0.05", "0.03", "0.02"],
        "generation_rates": ["0.03", "0.02"],
    },
    "ranks": [
        {"code": "partner", "difference_rate": "0.03", "level_depth": 1},
        {"code": "consultant", "min_pv": 50, "min_gv": 1000, "difference_rate": "0.06", "level_depth": 2},
        {
            "code": "manager",
            "min_pv": 100,
            "min_gv": 4000,
            "max_leg_share": "0.5",
            "min_ov": 1500,
            "min_legs": {"count": 2, "rank": "consultant"},
            "difference_rate": "0.12",
            "level_depth": 3,
            "generation_depth": 2,
            "advancement_bonus": "250.00",
        },
    ],
}
