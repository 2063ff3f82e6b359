"""Test fixture: reads a generated text object, writes it upper-cased, and reads/writes NoSQL rows."""
import os
import tempfile


def buckets_count():
    return (1, 1)


def allocate_nosql():
    return {"items": {"primary_key": "item_id", "secondary_key": "version"}}


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    folder = tempfile.mkdtemp(prefix="sebs-fixture-")
    path = os.path.join(folder, "hello.txt")
    with open(path, "w") as f:
        f.write("hello storage " * {"test": 1, "small": 10, "large": 100}[size])
    upload_func(0, "hello.txt", path)
    nosql_func("903.storage-echo", "items", {"label": "seeded"}, ("item_id", "i1"), ("version", "v1"))
    return {"bucket": benchmarks_bucket, "input": input_paths[0], "output": output_paths[0], "key": "hello.txt"}


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's convention: output is the handler's whole return value; None when valid, else why not."""
    result = output.get("result") or {}
    if result.get("seeded") != "seeded" or result.get("length") != len("hello storage "):
        return "expected the seeded row and the uploaded text's length, got %r" % (result,)
    return None
