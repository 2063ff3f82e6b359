# Fixture in SeBS master's conventions for a sleep benchmark (as its 010.sleep): buckets_count() gives no
# buckets, the event carries the seconds, and the function echoes them as its result.

pauses = {
    'test': 0.01,
    'small': 0.1,
    'large': 1
}


def buckets_count():
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    return {'sleep': pauses[size]}


def validate_output(data_dir: str | None, input_config: dict, output: dict, language: str, storage = None) -> str | None:
    if output.get('result') != input_config.get('sleep'):
        return f"expected the pause {input_config.get('sleep')} echoed, got {output.get('result')}"
    return None
