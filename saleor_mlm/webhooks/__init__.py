class DeliveryStatus:
    """Where a stored webhook delivery stands."""

    RECEIVED = "received"  # stored, not yet verified
    INVALID = "invalid"  # signature, installation or recipient check failed: never processed
    REJECTED = "rejected"  # verified, but the body is unusable (not JSON, fields missing)
    QUEUED = "queued"  # verified and handed to the processing task
    PROCESSED = "processed"  # its use case ran to the end (use_cases)
    SKIPPED = "skipped"  # verified but nothing to do (duplicate, not for us)
    FAILED = "failed"  # its use case raised; `reprocess-webhooks --failed` retries it

    CHOICES = [
        (RECEIVED, "Received"),
        (INVALID, "Invalid"),
        (REJECTED, "Rejected"),
        (QUEUED, "Queued"),
        (PROCESSED, "Processed"),
        (SKIPPED, "Skipped"),
        (FAILED, "Failed"),
    ]
