"""Input generation for the workflow 620.func-invo: a chain of function invocations.

The workflow passes a text payload of `size` characters through nine function executions in a
row, so its run time is dominated by invocation overhead and by moving the payload between them.

States (definition.json):
    gen      task    {"size": n} -> {"size": n, "step": 0, "data": <n letters>}
    process  repeat  func_name "process", count 8: process(process(... gen's result ...));
                     each execution shifts every letter of "data" one place on in the alphabet
                     (z wraps to a) and adds 1 to "step". No "next": the workflow ends here.

"data" starts as "abcdefghijklmnopqrstuvwxyz" repeated and cut to n letters, i.e. data[i] is
chr(ord("a") + i % 26). After the eight process executions the workflow's output is

    {"size": n, "step": 8, "data": <s>}   with s[i] == chr(ord("a") + (i + 8) % 26)

so for every size s starts with "ijklmnopqrstuvwxyzabcdefgh" and len(s) == n.

Function executions per run: gen x1, process x8 (sequential), for every size.

    size    n (characters)   payload between two states
    test    1024             about 1 KB
    small   65536            about 64 KB
    large   200000           about 200 KB (stays below the 256 KB state payload limit of AWS Step Functions)

No object storage and no NoSQL tables are used.
"""

SIZES = {"test": 1024, "small": 65536, "large": 200000}

STEPS = 8  # the "count" of the repeat state in definition.json


def buckets_count():
    """No object storage."""
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in SIZES:
        raise ValueError("unknown size %r for 620.func-invo; valid sizes: %s"
                         % (size, ", ".join(SIZES)))
    return {"size": SIZES[size]}


def expected_data(n, steps=STEPS):
    """The "data" string of the workflow's output for a payload of n letters after `steps` shifts."""
    return "".join(chr(ord("a") + (i + steps) % 26) for i in range(n))
