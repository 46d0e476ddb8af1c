"""Export what the refunds scenario (scripts/real-saleor/refunds.mjs) made Saleor send and answer,
as test vectors: run by scripts/check-real-saleor.sh with the app clone's Python and environment.

    python export_captures.py RUN_DIR

Reads RUN_DIR/refunds.json (the scenario's orders and time window) and writes into RUN_DIR/captured/:

- `deliveries/NN_<event>_<order number>.headers.json` and `.body.json`: every webhook delivery the
  app stored for those orders, in the order received: Saleor's headers as received (the
  `Saleor-*` ones, User-Agent, Content-Type) and the exact body bytes that were signed;
- `jwks.json`: Saleor's public keys, which verify every `Saleor-Signature` above;
- `orders_N.json`: the pages Saleor answers the order sync's query (`ORDERS_QUERY`, 2 orders a page)
  with the app's token for the scenario's window, as received.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

KEPT_HEADERS = ("User-Agent", "Content-Type", "Saleor-Event", "Saleor-Domain", "Saleor-Signature", "Saleor-Api-Url")
PAGE_SIZE = 2


def main(run_dir: Path) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
    import django

    django.setup()
    import requests

    from saleor_mlm.installations.models import Installation
    from saleor_mlm.reconciliation.saleor_orders import ORDERS_QUERY
    from saleor_mlm.webhooks.models import WebhookDelivery

    record = json.loads((run_dir / "refunds.json").read_text())
    out = run_dir / "captured"
    (out / "deliveries").mkdir(parents=True, exist_ok=True)
    numbers = {order["id"]: order["number"] for order in record["orders"].values()}
    deliveries = WebhookDelivery.objects.filter(subject_id__in=numbers).order_by("id")
    for index, delivery in enumerate(deliveries, start=1):
        by_name = {name.lower(): value for name, value in delivery.headers.items()}
        headers = {name: by_name[name.lower()] for name in KEPT_HEADERS if name.lower() in by_name}
        stem = out / "deliveries" / f"{index:02d}_{delivery.event}_{numbers[delivery.subject_id]}"
        stem.with_suffix(".headers.json").write_text(json.dumps(headers, indent=1) + "\n")
        stem.with_suffix(".body.json").write_bytes(bytes(delivery.body))
        print(f"{stem.name}: {delivery.status} {delivery.error[:120]}")

    installation = Installation.objects.get()
    api_url = installation.saleor_api_url
    jwks = requests.get(api_url.replace("/graphql/", "/.well-known/jwks.json"), timeout=30)
    jwks.raise_for_status()
    (out / "jwks.json").write_text(json.dumps(jwks.json(), indent=1) + "\n")

    after, page = None, 0
    window = {"gte": record["since"], "lte": record["until"]}
    while True:
        page += 1
        response = requests.post(
            api_url,
            json={"query": ORDERS_QUERY, "variables": {"first": PAGE_SIZE, "after": after, "updatedAt": window}},
            headers={"Authorization": f"Bearer {installation.auth_token}"},
            timeout=60,
        )
        response.raise_for_status()
        answer = response.json()
        if answer.get("errors"):
            raise SystemExit(f"Saleor refused the sync's query: {answer['errors']}")
        (out / f"orders_{page}.json").write_text(json.dumps(answer, indent=1, ensure_ascii=False) + "\n")
        info = answer["data"]["orders"]["pageInfo"]
        print(f"orders_{page}.json: {[edge['node']['number'] for edge in answer['data']['orders']['edges']]}")
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
