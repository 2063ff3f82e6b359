"""695.parallel-stats, state "report": the workflow's result.

Event: merge's result (the audit loop leaves the payload unchanged). Returns it (without
"request-id") with two keys added: "all_ok" (every check passed) and "summary", a line of text:
"<count> numbers in <chunks> chunks: sum <sum>, min <min>, max <max>, median <median>; <k> of <m>
checks passed".
"""


def handler(event):
    checks = event.get("checks")
    if not isinstance(checks, list):
        raise ValueError("event['checks'] must be merge's list of checks")
    passed = sum(1 for c in checks if isinstance(c, dict) and c.get("ok") is True)
    result = {k: v for k, v in event.items() if k != "request-id"}
    result["all_ok"] = passed == len(checks)
    result["summary"] = ("%s numbers in %s chunks: sum %s, min %s, max %s, median %s; %d of %d checks passed"
                         % (event.get("count"), event.get("chunks"), event.get("sum"), event.get("min"),
                            event.get("max"), event.get("median"), passed, len(checks)))
    return result
