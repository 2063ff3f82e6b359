"""Input generation for 050.communication: a producer passes a message to a consumer through a channel.

The event says which role this invocation plays ("producer" or "consumer"), the channel ("s3", "nosql"
or "redis"), the message size in bytes and the key both sides agree on. The communication experiment
invokes a consumer and a producer with the same key; this default input is one producer call.
"""

SIZES = {"test": 1024, "small": 64 * 1024, "large": 1024 * 1024}


def buckets_count():
    """No input files; one prefix of the benchmarks bucket carries the s3 messages."""
    return (0, 1)


def allocate_nosql():
    """Messages in DynamoDB are split into parts (items are limited to 400 KB)."""
    return {"messages": {"primary_key": "message_key", "secondary_key": "part"}}


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    if size not in SIZES:
        raise ValueError("unknown size %r for 050.communication; valid sizes: %s" % (size, ", ".join(SIZES)))
    return {"role": "producer", "channel": "redis", "size": SIZES[size], "key": "sebs-communication-default",
            "bucket": benchmarks_bucket, "prefix": output_paths[0], "timeout": 10}


def _output_is_valid(input_config, output, language):
    """Both roles report the SHA-256 and length of the message they wrote or read."""
    if not isinstance(output, dict) or output.get("role") not in ("producer", "consumer"):
        return False
    return isinstance(output.get("sha256"), str) and output.get("size") == input_config.get("size")


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ('the result must name its role (producer or consumer) and report the SHA-256 and length of the message', text if len(text) <= 300 else text[:300] + "...")
