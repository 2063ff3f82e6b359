# Fixture in SeBS master's conventions for per-interpreter pins (as its 502.graph-mst): the function's only
# dependency is listed in requirements.txt.<python version>, none in requirements.txt.


def buckets_count():
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    return {'text': '<b>pins & versions</b>'}


def validate_output(data_dir: str | None, input_config: dict, output: dict, language: str, storage = None) -> str | None:
    expected = input_config['text'].replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
    if output.get('result') != expected:
        return f"expected {expected!r}, got {output.get('result')!r}"
    return None
