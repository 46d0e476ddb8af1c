#!/usr/bin/env bash
# The dashboard extension: install (npm ci, when its lockfile changed), type-check, build,
# component tests (Vitest), and end-to-end checks in headless Chromium against the demo server
# (see docs/dashboard.md). Screenshots of every page go to var/screenshots/dashboard/ (kept by
# CI with ./var). `checks` or `e2e` as the argument runs one part; the environment it reads:
# scripts/test-web-app.sh.
exec bash "$(dirname "$0")/test-web-app.sh" dashboard-extension "$@"
