"""660.map-reduce, state "map" (inside the map state over "list"): counts the words of one chunk.

Event (common_params "bucket"): {"array_element": {"index": i, "key": <chunk key>, ...},
                                 "bucket": {"bucket": B, "output": OUT, ...}}.
A word is a run of [a-z0-9] (with apostrophes inside) after lower-casing. Uploads the counts as JSON
{word: count} (keys sorted) to OUT/map/counts-<i>.json (plus 8 hex digits) and returns
{"index": i, "key": <counts key>, "words": <words counted>, "distinct": <different words>}.
"""

import collections
import json
import re

from . import storage

WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")

client = storage.storage.get_instance()


def handler(event):
    chunk = event.get("array_element", event)
    bucket_info = event.get("bucket") or chunk.get("bucket")
    if not isinstance(bucket_info, dict):
        raise ValueError("the event needs the bucket description in 'bucket' (common_params of the map state)")
    bucket = bucket_info["bucket"]
    output_prefix = bucket_info["output"].rstrip("/")
    index = chunk["index"]

    text = client.download_stream(bucket, chunk["key"]).decode("utf-8")
    counts = collections.Counter(WORD.findall(text.lower()))
    body = json.dumps(counts, sort_keys=True, separators=(",", ":")).encode("utf-8")
    key = client.upload_stream(bucket, "%s/map/counts-%d.json" % (output_prefix, index), body)
    return {"index": index, "key": key, "words": sum(counts.values()), "distinct": len(counts)}
