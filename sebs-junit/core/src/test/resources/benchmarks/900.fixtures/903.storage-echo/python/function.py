import os

from . import nosql
from . import storage


def handler(event):
    client = storage.storage.get_instance()
    text = client.download_stream(event["bucket"], event["input"] + "/" + event["key"]).decode()
    key = client.upload_stream(event["bucket"], event["output"] + "/" + event["key"], text.upper().encode())
    # SeBS-Flow's additions to the module: listing, byte ranges, keys kept as given
    listed = sorted(client.list_directory(event["bucket"], event["input"] + "/"))
    head = client.download_within_range(event["bucket"], event["input"] + "/" + event["key"], 0, 4)
    fixed = client.upload_stream(event["bucket"], "fixed/" + event["output"] + "/fixed-name", b"x", unique_name=False)
    db = nosql.nosql.get_instance()
    seeded = db.get("items", ("item_id", "i1"), ("version", "v1"))
    db.insert("items", ("item_id", "i1"), ("version", "v2"), {"label": "written", "key": key})
    return {"result": {"key": key, "length": len(text), "seeded": seeded["label"],
                       "listed": listed, "head": head, "fixed": fixed,
                       "versions": sorted(r["version"] for r in db.query("items", ("item_id", "i1"), "version"))}}
