"""660.map-reduce, state "split": cuts the input text into one chunk per mapper.

Event: {"bucket": {"bucket": B, "input": IN, "output": OUT}, "object": {"key": K}, "mappers": M,
        "reducers": R, ...}. Downloads IN/K, splits its whitespace-separated tokens into M consecutive
chunks whose sizes differ by at most one, uploads chunk i as OUT/split/chunk-<i>.txt (the storage
module adds 8 hex digits before the extension) and returns the event's keys (without "request-id")
plus "list": [{"index": i, "key": <chunk key>, "words": <tokens in chunk i>}, ...] in chunk order.
"""

from . import storage

WORDS_PER_LINE = 16

client = storage.storage.get_instance()


def _positive_int(value, what):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("%s must be a positive integer, got %r" % (what, value))
    return value


def handler(event):
    bucket = event["bucket"]["bucket"]
    input_prefix = event["bucket"]["input"].rstrip("/")
    output_prefix = event["bucket"]["output"].rstrip("/")
    key = event["object"]["key"]
    mappers = _positive_int(event.get("mappers"), "event['mappers']")
    _positive_int(event.get("reducers"), "event['reducers']")

    text = client.download_stream(bucket, input_prefix + "/" + key).decode("utf-8")
    tokens = text.split()
    count = len(tokens)

    chunks = []
    for i in range(mappers):
        part = tokens[i * count // mappers:(i + 1) * count // mappers]
        lines = (" ".join(part[j:j + WORDS_PER_LINE]) for j in range(0, len(part), WORDS_PER_LINE))
        body = ("\n".join(lines) + "\n").encode("utf-8")
        chunk_key = client.upload_stream(bucket, "%s/split/chunk-%d.txt" % (output_prefix, i), body)
        chunks.append({"index": i, "key": chunk_key, "words": len(part)})

    result = {k: v for k, v in event.items() if k not in ("request-id", "list")}
    result["list"] = chunks
    return result
