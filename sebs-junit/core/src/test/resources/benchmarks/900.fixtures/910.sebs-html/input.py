# Fixture in SeBS master's conventions for a web page benchmark (as its 110.dynamic-html): no
# buckets_count(), generate_input with SeBS's seven parameters, validate_output with SeBS's five, reading
# the handler's whole return value.

page_sizes = {
    'test': 5,
    'small': 50,
    'large': 500
}


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    return {'username': 'fixture-user', 'random_len': page_sizes[size]}


def validate_output(data_dir: str | None, input_config: dict, output: dict, language: str, storage = None) -> str | None:
    page = output.get('result', '')
    if not isinstance(page, str) or not page:
        return f"expected an HTML page as the result, got {type(page).__name__}"
    if f"Hello {input_config['username']}!" not in page:
        return "the page does not greet the user"
    items = page.count('<li>')
    if items != input_config['random_len']:
        return f"expected {input_config['random_len']} list items, found {items}"
    return None
