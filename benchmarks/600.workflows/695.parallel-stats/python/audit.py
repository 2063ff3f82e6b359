"""695.parallel-stats, state "audit" (a loop over merge's "checks"): validates one check.

Event: {"name": N, "ok": bool, "expected": ..., "actual": ...} (plus "request-id"). Raises
AuditFailed when the check did not pass (or is malformed), which fails the workflow; otherwise returns
the check (without "request-id"). The loop discards the results.
"""


class AuditFailed(Exception):
    """A consistency check of merge did not pass."""


def handler(event):
    if not isinstance(event, dict) or not isinstance(event.get("name"), str) or "ok" not in event:
        raise AuditFailed("not a check: %r" % (event,))
    if event["ok"] is not True:
        raise AuditFailed("check %s failed: expected %r, got %r"
                          % (event["name"], event.get("expected"), event.get("actual")))
    if event.get("expected") != event.get("actual"):
        raise AuditFailed("check %s says ok but expected %r differs from actual %r"
                          % (event["name"], event.get("expected"), event.get("actual")))
    return {k: v for k, v in event.items() if k != "request-id"}
