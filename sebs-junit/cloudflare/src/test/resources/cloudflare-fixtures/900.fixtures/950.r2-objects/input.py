"""Test fixture for R2 bindings: two input objects under one prefix; the function reads, lists and writes them."""
import os
import tempfile


def buckets_count():
    return (1, 1)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    folder = tempfile.mkdtemp(prefix="sebs-r2-fixture-")
    for name, text in (("a.txt", "alpha"), ("dir/b.txt", "beta")):
        path = os.path.join(folder, name.replace("/", "_"))
        with open(path, "w") as f:
            f.write(text)
        upload_func(0, name, path)
    return {"bucket": benchmarks_bucket, "input": input_paths[0], "output": output_paths[0]}
