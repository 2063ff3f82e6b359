def handler(event):
    return event["array_element"] * event["n"]
