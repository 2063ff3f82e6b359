"""Input generation and output validation for 010.word-count (SeBS's input.py interface)."""

import random

# Words of text for each named size.
WORDS = {"test": 1_000, "small": 100_000, "large": 1_000_000}
VOCABULARY = ["serverless", "function", "cold", "warm", "start", "latency", "budget", "median"]


def buckets_count():
    """No storage buckets are read or written."""
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in WORDS:
        raise ValueError("unknown size %r; valid sizes: %s" % (size, ", ".join(WORDS)))
    rng = random.Random(42)
    return {"text": " ".join(rng.choice(VOCABULARY) for _ in range(WORDS[size]))}


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned; None when valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if not isinstance(result, dict) or not isinstance(result.get("counts"), dict):
        return "expected result['counts'], a dict of word counts; got %r" % (result,)
    words = len(input_config["text"].split())
    if sum(result["counts"].values()) != words:
        return "the counts add up to %d, not to the %d words sent" % (sum(result["counts"].values()), words)
    return None
