"""Test fixture for the Workers polyfill of sharp: the function calls the sharp method the event names."""


def buckets_count():
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    return {"method": "metadata"}
