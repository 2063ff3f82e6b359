def handler(event):
    if not isinstance(event, int) or event < 0:
        raise ValueError("not a non-negative number: %r" % (event,))
    return {"checked": event}
