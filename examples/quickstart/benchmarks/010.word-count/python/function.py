"""010.word-count: count the words of a text, the most frequent first."""

from collections import Counter


def handler(event):
    text = event.get("text")
    if not isinstance(text, str):
        raise ValueError("event['text'] must be a string, got %r" % (type(text).__name__,))
    counts = Counter(text.split())
    return {"result": {"counts": dict(counts.most_common())}}
