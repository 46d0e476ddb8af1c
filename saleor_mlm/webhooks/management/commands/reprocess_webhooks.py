"""saleor-mlm reprocess-webhooks: run stored deliveries again.

    saleor-mlm reprocess-webhooks --failed          # every FAILED delivery
    saleor-mlm reprocess-webhooks --id 12 --id 13   # these deliveries (re-verified if never accepted)
    saleor-mlm reprocess-webhooks --queued --older-than 600   # QUEUED ones a lost broker never ran
    saleor-mlm reprocess-webhooks --failed --dry-run

Deliveries run in this process, one at a time and oldest first; processing is idempotent, so
running this while workers are busy is safe (each delivery is locked while it runs).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks.models import WebhookDelivery
from saleor_mlm.webhooks.processing import reprocess_delivery

# Ids are read in batches so that a large backlog does not load every body at once.
BATCH_SIZE = 200


class Command(BaseCommand):
    help = "Process stored webhook deliveries again (failed ones, or by id)."

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true", help="reprocess every FAILED delivery")
        parser.add_argument("--id", type=int, action="append", dest="ids", default=[], help="a delivery id (repeatable)")
        parser.add_argument("--queued", action="store_true", help="reprocess QUEUED deliveries older than --older-than")
        parser.add_argument("--older-than", type=int, default=300, help="seconds, for --queued (default 300)")
        parser.add_argument("--force", action="store_true", help="with --id: run PROCESSED/SKIPPED deliveries too")
        parser.add_argument("--dry-run", action="store_true", help="only list what would run")

    def handle(self, *args, failed, ids, queued, older_than, force, dry_run, **options):
        if not (failed or ids or queued):
            raise CommandError("say what to reprocess: --failed, --queued or --id N")
        selected = WebhookDelivery.objects.none()
        if failed:
            selected |= WebhookDelivery.objects.filter(status=DeliveryStatus.FAILED)
        if queued:
            cutoff = timezone.now() - timedelta(seconds=older_than)
            selected |= WebhookDelivery.objects.filter(status=DeliveryStatus.QUEUED, received_at__lt=cutoff)
        if ids:
            missing = set(ids) - set(WebhookDelivery.objects.filter(pk__in=ids).values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no delivery with id {', '.join(map(str, sorted(missing)))}")
            selected |= WebhookDelivery.objects.filter(pk__in=ids)
        pks = list(selected.order_by("pk").values_list("pk", flat=True).distinct())

        counts: dict[str, int] = {}
        for start in range(0, len(pks), BATCH_SIZE):
            for delivery in WebhookDelivery.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).order_by("pk"):
                if dry_run:
                    self.stdout.write(f"would reprocess #{delivery.pk} {delivery.event} ({delivery.status})")
                    continue
                before = delivery.status
                after = reprocess_delivery(delivery, force=force and delivery.pk in ids) or "missing"
                counts[after] = counts.get(after, 0) + 1
                self.stdout.write(f"#{delivery.pk} {delivery.event}: {before} -> {after}")
        if dry_run:
            # Also when there is none: the month-end checklist reads "lists no failed delivery".
            self.stdout.write(f"would reprocess {len(pks)} deliveries")
        else:
            summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items())) or "nothing to do"
            self.stdout.write(self.style.SUCCESS(f"reprocessed {len(pks)} deliveries: {summary}"))
