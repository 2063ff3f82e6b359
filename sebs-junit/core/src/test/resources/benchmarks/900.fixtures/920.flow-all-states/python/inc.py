def handler(event):
    return dict(event, counter=event["counter"] + 1)
