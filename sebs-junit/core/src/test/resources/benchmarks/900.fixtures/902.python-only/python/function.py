def handler(event):
    return {"result": "ok"}
