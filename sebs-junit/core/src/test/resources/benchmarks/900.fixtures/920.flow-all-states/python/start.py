def handler(event):
    if event.get("boom"):
        raise RuntimeError("boom requested")
    n = int(event["n"])
    return {"n": n, "items": list(range(1, n + 1)), "counter": 0, "seen_request_id": event["request-id"]}
