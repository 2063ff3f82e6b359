"""660.map-reduce, state "shuffle": groups the mappers' counts into one partition per reducer.

Event: the payload after the map state, {"bucket": {...}, "reducers": R, "list": [map results], ...}.
Word w belongs to partition (sum of the UTF-8 bytes of w) mod R, a rule that gives the same answer in
every process (Python's own str hash is randomised per process). Partition p is uploaded as JSON
{word: [count from each map that saw it, in map order]} (keys sorted) to OUT/shuffle/partition-<p>.json
(plus 8 hex digits). Returns the event's keys (without "request-id") with "list" replaced by
[{"partition": p, "key": <key>, "distinct": <words in p>}, ...] for p = 0 .. R-1 (empty ones too).
"""

import json

from . import storage

client = storage.storage.get_instance()


def partition_of(word, reducers):
    return sum(word.encode("utf-8")) % reducers


def handler(event):
    bucket = event["bucket"]["bucket"]
    output_prefix = event["bucket"]["output"].rstrip("/")
    reducers = event.get("reducers")
    if isinstance(reducers, bool) or not isinstance(reducers, int) or reducers < 1:
        raise ValueError("event['reducers'] must be a positive integer, got %r" % (reducers,))
    mapped = event.get("list")
    if not isinstance(mapped, list):
        raise ValueError("event['list'] must be the list of the map results")

    partitions = [{} for _ in range(reducers)]
    for result in mapped:
        counts = json.loads(client.download_stream(bucket, result["key"]).decode("utf-8"))
        for word, count in counts.items():
            partitions[partition_of(word, reducers)].setdefault(word, []).append(count)

    listing = []
    for p, groups in enumerate(partitions):
        body = json.dumps(groups, sort_keys=True, separators=(",", ":")).encode("utf-8")
        key = client.upload_stream(bucket, "%s/shuffle/partition-%d.json" % (output_prefix, p), body)
        listing.append({"partition": p, "key": key, "distinct": len(groups)})

    result = {k: v for k, v in event.items() if k not in ("request-id", "list")}
    result["list"] = listing
    return result
