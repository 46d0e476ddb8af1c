"""Statements: what a partner earned in a period and what they are paid for it.

A statement joins the figures of a period's run (`periods`) with the partner's balance and
adjustments (`payouts`), so it sits above both (docs/architecture.md, "Layers"):

- `partner`: one partner's statement, its bonus groups and the lines that explain every cent;
- `exports`: the period's statements as CSV (one row per partner) and one statement's lines.

The month-end command (`saleor-mlm period ...`) lives here too: it prints and exports the
statements and drives the periods' steps below them.
"""
