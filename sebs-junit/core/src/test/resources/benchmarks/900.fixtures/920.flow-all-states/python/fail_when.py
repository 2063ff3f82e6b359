def handler(event):
    raise ValueError("planned failure")
