"""660.map-reduce, state "reduce" (inside the map state over the shuffle's "list"): totals a partition.

Event (common_params "bucket"): {"array_element": {"partition": p, "key": <partition key>, ...},
                                 "bucket": {"bucket": B, "output": OUT, ...}}.
Sums each word's counts, uploads {word: total} (keys sorted) to OUT/reduce/result-<p>.json (plus 8 hex
digits) and returns {"partition": p, "words": <different words>, "total": <sum of all counts>,
"key": <result key>}.
"""

import json

from . import storage

client = storage.storage.get_instance()


def handler(event):
    part = event.get("array_element", event)
    bucket_info = event.get("bucket") or part.get("bucket")
    if not isinstance(bucket_info, dict):
        raise ValueError("the event needs the bucket description in 'bucket' (common_params of the map state)")
    bucket = bucket_info["bucket"]
    output_prefix = bucket_info["output"].rstrip("/")
    partition = part["partition"]

    groups = json.loads(client.download_stream(bucket, part["key"]).decode("utf-8"))
    totals = {word: sum(counts) for word, counts in groups.items()}
    body = json.dumps(totals, sort_keys=True, separators=(",", ":")).encode("utf-8")
    key = client.upload_stream(bucket, "%s/reduce/result-%d.json" % (output_prefix, partition), body)
    return {"partition": partition, "words": len(totals), "total": sum(totals.values()), "key": key}
