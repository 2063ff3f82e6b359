# Fixture in SeBS master's conventions for a NoSQL benchmark (as its 130.crud-api): allocate_nosql() names
# the table and its keys, generate_input seeds rows through nosql_func(benchmark, table, item, primary_key,
# secondary_key) and sends a list of requests; validate_output reads output.get('result').
import uuid

LIBRARY = [
    ("dune", {"title": "Dune", "copies": 3}),
    ("emma", {"title": "Emma", "copies": 1}),
]


def allocate_nosql() -> dict:
    return {"loans": {"primary_key": "reader_id", "secondary_key": "book_id"}}


def generate_input(data_dir, size, benchmarks_bucket, input_buckets, output_buckets, upload_func, nosql_upload):
    reader = uuid.uuid4().hex
    for book_id, item in LIBRARY:
        nosql_upload("911.sebs-crud", "loans", dict(item), ("reader_id", reader), ("book_id", book_id))
    requests = [{"route": "GET /loans/{id}", "path": {"id": "dune"}, "body": {"reader": reader}}]
    if size != "test":
        requests.append({"route": "PUT /loans", "body": {"reader": reader, "book_id": "ulysses",
                                                         "title": "Ulysses", "copies": 2}})
    requests.append({"route": "GET /loans", "body": {"reader": reader}})
    return {"requests": requests}


def validate_output(data_dir: str | None, input_config: dict, output: dict, language: str, storage = None) -> str | None:
    results = output.get('result', [])
    requests = input_config.get('requests', [])
    if not isinstance(results, list) or len(results) != len(requests):
        return f"expected one answer per request ({len(requests)}), got {results!r}"
    if results[0] != {"title": "Dune", "copies": 3, "reader_id": requests[0]["body"]["reader"], "book_id": "dune"}:
        return f"GET /loans/dune answered {results[0]!r}"
    expected = sorted(["Dune", "Emma"] + (["Ulysses"] if len(requests) == 3 else []))
    if results[-1].get("titles") != expected:
        return f"GET /loans listed {results[-1].get('titles')!r}, expected {expected!r}"
    return None
