"""Credit notes (Gutschriften, §14 Abs. 2 Satz 2 UStG): the self-billed documents a period's payable amounts are paid with."""
