"""Input generation for the workflow 615.switch-greetings: a switch between two branches, then a map.

Input: {"number": n}.

States (definition.json):
    get_people   task    -> {"people": {"number": n, "list": [{"id": i, "name": N_i}, ...]}}, person i
                         named FIRST[i % 10] + " " + LAST[(3 * i) % 8] (see python/get_people.py)
    choose       switch  people.number < 10 -> few_people; people.number >= 10 -> many_people;
                         default few_people (payload unchanged)
    few_people   task    adds "branch": "few" (keeps "people")            next greet-state
    many_people  task    adds "branch": "many" (keeps "people")           next greet-state
    greet-state  map     over "people.list", inner state "greet", common_params "branch": each greet
                         execution gets {"array_element": person, "branch": b} and returns
                         {"id": i, "name": N_i, "greeting": "Welcome, N_i!" (few) / "Hello, N_i!" (many)}
    summarize    task    -> {"branch": b, "number": n, "greeted": n, "greetings": [greeting per person]}

Function executions per run and expected output:

    size    n    executions                                               output "branch"
    test    4    get_people 1, few_people 1, greet 4, summarize 1         "few"
    small   12   get_people 1, many_people 1, greet 12, summarize 1       "many"
    large   40   get_people 1, many_people 1, greet 40, summarize 1       "many"

The output for "test" is exactly
    {"branch": "few", "number": 4, "greeted": 4,
     "greetings": ["Welcome, Alice Novak!", "Welcome, Bruno Quinn!", "Welcome, Chiara Tanaka!",
                   "Welcome, Dmitri Okafor!"]}
and for "small" its greetings start "Hello, Alice Novak!", "Hello, Bruno Quinn!" and end
"Hello, Alice Tanaka!", "Hello, Bruno Okafor!" (expected_greetings(size) below gives them all).

No object storage and no NoSQL tables are used.
"""

SIZES = {"test": 4, "small": 12, "large": 40}

# As in python/get_people.py.
FIRST = ("Alice", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ivo", "Jun")
LAST = ("Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Sato", "Tanaka", "Umar")

THRESHOLD = 10  # the switch's boundary: fewer people go to few_people


def buckets_count():
    """No object storage."""
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in SIZES:
        raise ValueError("unknown size %r for 615.switch-greetings; valid sizes: %s" % (size, ", ".join(SIZES)))
    return {"number": SIZES[size]}


def expected_branch(n):
    return "few" if n < THRESHOLD else "many"


def expected_greetings(size):
    n = SIZES[size]
    template = "Welcome, %s!" if expected_branch(n) == "few" else "Hello, %s!"
    return [template % ("%s %s" % (FIRST[i % len(FIRST)], LAST[(3 * i) % len(LAST)])) for i in range(n)]
