"""State changes of the network. Each action validates, takes the locks it needs, writes,
records the change (`events`) and schedules side effects after commit.

Refusals are `core.errors.DomainError` with a `NetworkErrorCode` (a `ValidationError` with one
field and one code).
"""

from ..shares import EffectiveCare, effective_care_share
from .care import assign_care, current_care_assignment, end_split_agreement, set_split_agreement, unassign_care
from .common import SponsorChange
from .customers import (
    NewCustomer,
    assign_house_customer,
    change_customer_sponsor,
    create_customers,
    get_or_create_customer,
    update_customer,
)
from .partners import change_sponsor, create_partner, enroll_customer_as_partner, set_status

__all__ = [
    "EffectiveCare",
    "NewCustomer",
    "SponsorChange",
    "assign_care",
    "assign_house_customer",
    "change_customer_sponsor",
    "change_sponsor",
    "create_partner",
    "create_customers",
    "current_care_assignment",
    "effective_care_share",
    "end_split_agreement",
    "enroll_customer_as_partner",
    "get_or_create_customer",
    "set_split_agreement",
    "set_status",
    "unassign_care",
    "update_customer",
]
