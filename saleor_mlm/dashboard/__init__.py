"""The dashboard extension's static files and the demo's stand-in for the Dashboard token.

The extension itself is a Vite build of `dashboard-extension/` (see docs/dashboard.md); this
app only serves it: `/dashboard/` and every path below it answer the built `index.html`
(the extension routes in the browser), `/dashboard/assets/...` the hashed files.
"""
