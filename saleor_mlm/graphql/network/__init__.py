"""The network part of the API: partners, customers, Betreuer, split agreements, history."""
