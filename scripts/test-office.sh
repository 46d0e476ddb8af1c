#!/usr/bin/env bash
# The partner office (office/): install (npm ci, when its lockfile changed), type-check, build,
# component tests (Vitest), and end-to-end checks in headless Chromium against the demo server
# at a phone and a desktop viewport (see docs/office.md). Screenshots go to
# var/screenshots/office/. `checks` or `e2e` as the argument runs one part; the environment it
# reads: scripts/test-web-app.sh.
exec bash "$(dirname "$0")/test-web-app.sh" office "$@"
