"""Retention: erase jobseekers not updated for the retention period; trim the audit log and
forget idempotency keys older than a day."""

from __future__ import annotations

import datetime as dt

from service.storage import Principal, Store, utcnow

# A retry comes within minutes; a day leaves room for a client's overnight job.
IDEMPOTENCY_KEPT = dt.timedelta(hours=24)
SYSTEM = Principal(token_id=None, role="system")


def apply_retention(
    store: Store, retention_days: int, audit_retention_days: int, person_ref
) -> dict[str, int]:
    """Erase stale jobseekers (with all derived data), audit entries past their period and
    idempotency keys older than :data:`IDEMPOTENCY_KEPT`."""
    now = utcnow()
    stale = store.stale_jobseeker_ids(now - dt.timedelta(days=retention_days))
    for jobseeker_id in stale:
        store.erase_jobseeker(
            jobseeker_id, person_ref(jobseeker_id), SYSTEM, {"reason": "retention"}
        )
    purged = store.purge_audit(now - dt.timedelta(days=audit_retention_days))
    keys = store.purge_idempotency_keys(now - IDEMPOTENCY_KEPT)
    return {
        "jobseekers_erased": len(stale),
        "audit_entries_purged": purged,
        "idempotency_keys_purged": keys,
    }
