"""Input generation for the workflow 630.parallel-sleep: a fan-out of sleeping functions.

States (definition.json):
    generate       task  {"count": n, "sleep": s} -> {"buffer": [{"sleep": s}, ... n times]}
    process-state  map   over "buffer", inner state "process" (func_name "process"): every element
                         runs concurrently; process sleeps element["sleep"] seconds and returns
                         {"slept": s}. No "next": the workflow ends here.

The map replaces "buffer" with the list of the process results, so the workflow's output is

    {"buffer": [{"slept": s}, ... n times]}

With enough concurrency the critical path is one generate plus one process (about s seconds plus
overheads), whatever n is; a platform that serialises the map shows about n * s instead.

Function executions per run and expected output:

    size    input                          executions                 output
    test    {"count": 4, "sleep": 0.5}     generate x1, process x4    {"buffer": [{"slept": 0.5}] * 4}
    small   {"count": 16, "sleep": 1}      generate x1, process x16   {"buffer": [{"slept": 1}] * 16}
    large   {"count": 50, "sleep": 2}      generate x1, process x50   {"buffer": [{"slept": 2}] * 50}

("slept" echoes the requested value, so its JSON type follows the input: 0.5, 1, 2.)
No object storage and no NoSQL tables are used.
"""

SIZES = {
    "test": {"count": 4, "sleep": 0.5},
    "small": {"count": 16, "sleep": 1},
    "large": {"count": 50, "sleep": 2},
}


def buckets_count():
    """No object storage."""
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in SIZES:
        raise ValueError("unknown size %r for 630.parallel-sleep; valid sizes: %s"
                         % (size, ", ".join(SIZES)))
    return dict(SIZES[size])
