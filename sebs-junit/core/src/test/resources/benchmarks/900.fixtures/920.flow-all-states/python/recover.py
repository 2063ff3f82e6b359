def handler(event):
    return {"recovered": event["error"], "total": event["total"], "scaled": event["scaled"],
            "input_keys": sorted(k for k in event if k != "request-id")}
