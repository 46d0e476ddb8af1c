# Statement arrays are cached per test, as in the periods' tests (closing runs write them).
# A committed month with credit notes (the credit notes' fixtures).
from tests.credit_notes.conftest import _credit_note_storage, earner, issuer, settle  # noqa: F401
from tests.periods.conftest import _period_cache_dir  # noqa: F401
