"""Retention: erase jobseekers not updated for the retention period; trim the audit log."""

from __future__ import annotations

import datetime as dt

from service.storage import Principal, Store, utcnow

SYSTEM = Principal(token_id=None, role="system")


def apply_retention(
    store: Store, retention_days: int, audit_retention_days: int, person_ref
) -> dict[str, int]:
    """Erase stale jobseekers (with all derived data) and audit entries past their period."""
    now = utcnow()
    stale = store.stale_jobseeker_ids(now - dt.timedelta(days=retention_days))
    for jobseeker_id in stale:
        store.erase_jobseeker(
            jobseeker_id, person_ref(jobseeker_id), SYSTEM, {"reason": "retention"}
        )
    purged = store.purge_audit(now - dt.timedelta(days=audit_retention_days))
    return {"jobseekers_erased": len(stale), "audit_entries_purged": purged}
