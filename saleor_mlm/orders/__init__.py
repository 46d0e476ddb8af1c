class OrderEventKind:
    """What happened to an order, as far as volume is concerned."""

    PAID = "paid"  # ORDER_FULLY_PAID: the order's volume is credited
    REFUNDED = "refunded"  # ORDER_REFUNDED: a share of the order is taken back
    FULLY_REFUNDED = "fully_refunded"  # ORDER_FULLY_REFUNDED: what remains is taken back
    CANCELLED = "cancelled"  # ORDER_CANCELLED: what remains is taken back

    CHOICES = [
        (PAID, "Paid"),
        (REFUNDED, "Refunded"),
        (FULLY_REFUNDED, "Fully refunded"),
        (CANCELLED, "Cancelled"),
    ]
