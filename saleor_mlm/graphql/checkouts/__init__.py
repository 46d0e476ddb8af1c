"""Orders for customers in the API: the shop's catalogue and countries for a partner, the
checkout a partner makes for a customer, the merchant's checkout settings (saleor_mlm/checkouts)."""
