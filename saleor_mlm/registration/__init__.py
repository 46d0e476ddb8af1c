"""Online registration of partners (docs/office.md, "Registration"): a visitor of the partner
office registers under a sponsor's code with a shop account, personal and tax data and the
merchant's partner terms, at once or after the merchant approved it.

- `terms.py`: the partner terms, versioned per installation, a text per language; the
  registration settings (approval before the partner is active).
- `actions.py`: register, approve, reject. The rules of who may become a partner under
  which sponsor are the network's (`network.actions.partners`), the rules of tax data the
  tax profile's (`network.actions.tax_profiles`): checked here by calling them, not copied.
"""


class RegistrationStatus:
    PENDING = "pending"  # waits for the merchant's approval
    APPROVED = "approved"  # the partner exists (at once when no approval is needed)
    REJECTED = "rejected"  # the merchant said no; nobody was created

    CHOICES = [(PENDING, "Pending"), (APPROVED, "Approved"), (REJECTED, "Rejected")]
