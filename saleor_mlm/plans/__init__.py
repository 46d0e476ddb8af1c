"""Plan versions: compensation plan documents, validated by the engine, in force from a
month (docs/periods.md, "Plan versions")."""


class PlanStatus:
    DRAFT = "draft"  # editable; used by what-if runs only
    ACTIVE = "active"  # frozen; in force from `in_force_from` until the next active version
    RETIRED = "retired"  # withdrawn; never used by a period (again)

    CHOICES = [(DRAFT, "Draft"), (ACTIVE, "Active"), (RETIRED, "Retired")]
