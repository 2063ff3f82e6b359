def handler(event):
    return sum(event["items"])
