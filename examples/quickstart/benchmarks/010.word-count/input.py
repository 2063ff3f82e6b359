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


def validate_output(input_config, output, language):
    """The counts must add up to the number of words sent."""
    if not isinstance(output, dict) or not isinstance(output.get("counts"), dict):
        return False
    return sum(output["counts"].values()) == len(input_config["text"].split())
