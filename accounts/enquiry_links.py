"""An enquiry and the client it becomes: what the enquirer told us carries into their file.

A guest who ticked "Pregnancy" in an enquiry and then booked must not become a client with no
conditions (the program builder would warn about nothing). The concerns that name a condition
are added to the client's conditions at once, so every contraindication check sees them, and
kept in `conditions_to_confirm` until staff save the client's conditions (accounts/clients.py).
"""

from django.db import transaction
from django.db.models.functions import Lower

from studio.kernel import sql

from .audit import audit_record
from .models import AuditEvent, ClientProfile, Condition, Enquiry, User


def conditions_named(concerns: list[str]) -> list[Condition]:
    """The conditions an enquiry's concerns name, by slug or by name (free text names none)."""
    wanted = {str(c).lower() for c in concerns}
    return [
        c for c in Condition.objects.all() if c.slug.lower() in wanted or c.name.lower() in wanted
    ]


def enquiry_carry_concerns(*, enquiry: Enquiry, client: ClientProfile) -> list[Condition]:
    """Add the conditions the enquiry names to the client; those new to the file wait for staff
    to confirm them. Returns the conditions added."""
    named = conditions_named(enquiry.concerns)
    known = set(client.conditions.values_list("pk", flat=True))
    new = [c for c in named if c.pk not in known]
    client.conditions.add(*new)
    client.conditions_to_confirm.add(*new)
    return new


@transaction.atomic(savepoint=False)  # inside the booking's savepoint: errors abort it whole
def enquiries_link_new_client(*, client: ClientProfile, by: User | None = None) -> list[Enquiry]:
    """A client just created (a guest's first booking): attach the open enquiries sent from
    their address and carry their concerns into the file. Returns the enquiries linked.

    Only for a client created a moment ago: an enquiry form anyone can send must not write
    into an existing client's file (staff do that with convert)."""
    # Raw SQL: every first booking asks, and almost every new client sent no enquiry; the rows
    # are loaded only when there are some (locked, as two conversions must not both link one).
    table, skipped = sql.table(Enquiry), [Enquiry.Status.SPAM, Enquiry.Status.DECLINED]
    found = sql.rows(
        f"SELECT id FROM {table} WHERE client_id IS NULL AND UPPER(email) = UPPER(%s) "
        f"AND status NOT IN {sql.placeholders(skipped)} ORDER BY created, id"
        + sql.lock_clause(of=table, no_key=False),
        [client.user.email, *skipped],
    )
    if not found:
        return []
    enquiries = list(
        Enquiry.objects.filter(pk__in=[pk for (pk,) in found]).order_by("created", "pk")
    )
    for enquiry in enquiries:
        enquiry_carry_concerns(enquiry=enquiry, client=client)
        enquiry.client = client
        enquiry.save(update_fields=["client", "updated"])
    audit_record(
        actor=by,
        client=client,
        action=AuditEvent.Action.CHANGED,
        what="linked enquiry " + ", ".join(str(e.pk) for e in enquiries),
    )
    return enquiries


def clients_by_email(emails: list[str]) -> dict[str, ClientProfile]:
    """The client records behind these addresses (lower-cased), for the inbox's
    "already a client" (staff decide with accounts/access.py what they may open)."""
    rows = (
        ClientProfile.objects.select_related("user")
        .filter(user__role=User.Role.CLIENT, erased_at=None)
        .annotate(address=Lower("user__email"))
        .filter(address__in={e.lower() for e in emails})
    )
    return {c.address: c for c in rows}
