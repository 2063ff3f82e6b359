def handler(event):
    return {"result": "unreachable"}
