"""Input generation and output validation for 010.sleep.

The function idles for ``event["sleep"]`` seconds and echoes the value back,
so the benchmark measures the platform's invocation overhead plus a known
amount of wall-clock time.
"""

import math

# Seconds of sleep for each named size.
SLEEP_SECONDS = {"test": 1, "small": 100, "large": 1000}


def buckets_count():
    """No storage buckets are read or written."""
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in SLEEP_SECONDS:
        raise ValueError("unknown size %r for 010.sleep; valid sizes: %s"
                         % (size, ", ".join(SLEEP_SECONDS)))
    return {"sleep": SLEEP_SECONDS[size]}


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _output_is_valid(input_config, output, language):
    """The output must echo the requested sleep time (as a number)."""
    requested = input_config.get("sleep") if isinstance(input_config, dict) else None
    if not _is_number(requested) or not _is_number(output):
        return False
    return math.isclose(float(output), float(requested), rel_tol=1e-9, abs_tol=1e-9)


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ('the result must echo the requested sleep time', text if len(text) <= 300 else text[:300] + "...")
