"""The outbox's table: one row per side effect a committed change owes (studio/kernel/outbox.py)."""

from django.db import models


class OutboxMessage(models.Model):
    """An e-mail, refund or other outside call owed by a change, written in the same
    transaction; delivered by the worker, retried by the sweeper, never silently dropped."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Being delivered"
        RETRYING = "retrying", "Waiting to retry"
        DONE = "done", "Delivered"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=60)
    payload = models.JSONField(default=dict, blank=True)
    # Same key, same side effect: a second outbox_add with it returns the first row.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    # What the row is about, for people and filters: "booking:12", "enquiry:3".
    about = models.CharField(max_length=80, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # While `sending`: the claim's lease. A worker that died mid-delivery is re-tried after it.
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        verbose_name = "outbox message"

    def __str__(self) -> str:
        return f"{self.kind} {self.about} ({self.status})".replace("  ", " ")
