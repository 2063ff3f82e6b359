"""Test fixture written the way SeBS benchmarks are: SeBS's generate_input signature, inputs from
data_dir when it has them (SeBS's benchmarks-data layout), else generated."""
import glob
import os
import tempfile


def buckets_count():
    return (1, 1)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    files = sorted(glob.glob(os.path.join(data_dir, "*.txt"))) if data_dir else []
    if not files:
        folder = tempfile.mkdtemp()
        files = [os.path.join(folder, "generated.txt")]
        with open(files[0], "w") as f:
            f.write("generated input")
    for path in files:
        upload_func(0, os.path.basename(path), path)
    return {
        "object": {"key": os.path.basename(files[0])},
        "bucket": {"bucket": benchmarks_bucket, "input": input_paths[0], "output": output_paths[0]},
    }
