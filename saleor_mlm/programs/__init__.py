"""Partner programs: several programs in one shop, each with its own plan, network and
volume source (docs/programs.md, docs/adr/0007-partner-programs.md)."""


class ProductScope:
    ALL = "all"  # every order line counts
    LISTED = "listed"  # only lines of the listed product types, categories or collections

    CHOICES = [(ALL, "All products"), (LISTED, "Listed products")]


# The default program every installation has (created by migration 0002 for the
# installations that existed, on first need for later ones).
DEFAULT_CODE = "main"
DEFAULT_NAME = "Partner program"
