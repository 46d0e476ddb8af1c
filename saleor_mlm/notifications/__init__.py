"""E-mail notifications to partners, in the partner's language (docs/notifications.md).

What a partner is told, each kind switched off by the partner (in the office, or with the
one-click link every mail carries):

- `new_partner`: a partner joined (or was placed) on its first level;
- `new_customer`: a customer was attributed to it;
- `rank_reached`: a committed period gave it a career rank higher than before;
- `statement_ready`: a period was committed: its statement is final, with the credit note
  (or statement document) issued for it;
- `payout_sent`: its payout was paid (the Stripe Transfer created, the SEPA file executed);
- `payout_returned`: a payout failed or came back (in whole or in part): the amount is back
  on its balance.

The domains below do not know this package: settings name its triggers among the steps they
run (`core.steps`). A trigger records one `Notification` per partner and event inside the
event's transaction (so a rolled-back change tells nobody, and a committed one is not lost
with a task), and queues the sending for after the commit. A notification is unique per
partner, kind and event: an event reported twice is recorded once, and the sending task
sends a notification only while it is pending, under its row lock.
"""


class NotificationKind:
    NEW_PARTNER = "new_partner"
    NEW_CUSTOMER = "new_customer"
    RANK_REACHED = "rank_reached"
    STATEMENT_READY = "statement_ready"
    PAYOUT_SENT = "payout_sent"
    PAYOUT_RETURNED = "payout_returned"

    CHOICES = [
        (NEW_PARTNER, "New partner on the first level"),
        (NEW_CUSTOMER, "New customer"),
        (RANK_REACHED, "Rank reached"),
        (STATEMENT_READY, "Statement and credit note ready"),
        (PAYOUT_SENT, "Payout sent"),
        (PAYOUT_RETURNED, "Payout returned"),
    ]
    ALL = tuple(value for value, _label in CHOICES)


class NotificationStatus:
    PENDING = "pending"  # recorded; the sending task has not sent it yet
    SENT = "sent"  # handed to the mail server
    SKIPPED = "skipped"  # not sent: the partner switched the kind off, or has no address
    FAILED = "failed"  # the mail server refused it every time (see `last_error`)

    CHOICES = [(PENDING, "Pending"), (SENT, "Sent"), (SKIPPED, "Skipped"), (FAILED, "Failed")]


class OptOutSource:
    OFFICE = "office"  # the partner's notification settings (office, API)
    LINK = "link"  # the unsubscribe link of a mail

    CHOICES = [(OFFICE, "Notification settings"), (LINK, "Unsubscribe link")]
