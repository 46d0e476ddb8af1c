"""The partner office: the web app partners open at `/office/` (docs/office.md).

The app itself is a Vite build of `office/` in the repository; this package serves it, tells
it which Saleor its partners sign in to (`config.json`), and in the demo issues partners'
tokens where no Saleor is there to issue them (`demo.py`).
"""
