def handler(event):
    return event * event
