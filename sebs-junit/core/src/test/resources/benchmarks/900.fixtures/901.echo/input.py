"""Test fixture: an echo function whose behaviour the event controls (sleep, fail, crash)."""

SIZES = {"test": 1, "small": 10, "large": 100}


def buckets_count():
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    if size not in SIZES:
        raise ValueError("unknown size %r, use one of %s" % (size, sorted(SIZES)))
    event = {"message": "hello", "repeat": SIZES[size]}
    if size == "large":
        event["corrupt_output"] = True  # lets tests see validate_output reject outputs
    return event


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's convention: output is the handler's whole return value; None when valid, else why not."""
    if input_config.get("corrupt_output"):
        return "corrupt_output is set: the large size rejects every output"
    result = output.get("result")
    if not isinstance(result, dict) or result.get("echo") != input_config:
        return "expected the event echoed back under result['echo'], got %r" % (result,)
    return None
