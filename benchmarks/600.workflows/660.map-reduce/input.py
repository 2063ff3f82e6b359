"""Input generation for the workflow 660.map-reduce: a word count over object storage.

generate_input writes a deterministic text (words drawn from VOCABULARY with a seeded generator,
WORDS_PER_LINE = 12 words per line), uploads it into input prefix 0 of the benchmarks bucket and returns

    {"bucket": {"bucket": B, "input": <input prefix>, "output": <output prefix>},
     "object": {"key": "words-<size>.txt"},          # the object is <input prefix>/words-<size>.txt
     "mappers": M, "reducers": R,
     "expected_total": <words in the text>, "expected_distinct": <different words in the text>}

A word is a run of [a-z0-9] (apostrophes inside allowed) after lower-casing; the generated text holds
plain vocabulary words separated by spaces and newlines only, so every whitespace-separated token is
one word.

States (definition.json):
    split         task  downloads the text, cuts its words into M consecutive chunks of (nearly) equal
                        length, uploads each as <output>/split/chunk-<i>.<8 hex>.txt and returns the
                        input's keys plus "list": [{"index": i, "key": <chunk key>, "words": n_i}, ...]
    map-state     map   over "list", inner state "map", common_params "bucket": each map execution gets
                        {"array_element": <chunk info>, "bucket": {...}}, counts the words of its chunk,
                        uploads {word: count} as <output>/map/counts-<i>.<hex>.json and returns
                        {"index": i, "key": <counts key>, "words": <words>, "distinct": <different words>}
    shuffle       task  reads every map's counts and groups them into R partitions: word w goes to
                        partition (sum of the UTF-8 bytes of w) mod R; partition p is uploaded as
                        <output>/shuffle/partition-<p>.<hex>.json ({word: [count per map, ...]}) and the
                        result is the payload's other keys plus
                        "list": [{"partition": p, "key": <key>, "distinct": <words in p>}, ...] (R items)
    reduce-state  map   over "list", inner state "reduce", common_params "bucket": each reduce execution
                        sums the counts of its partition, uploads {word: total} as
                        <output>/reduce/result-<p>.<hex>.json and returns
                        {"partition": p, "words": <different words>, "total": <sum of counts>, "key": <key>}
                  No "next": the workflow ends here.

The workflow's output is the input's keys ("bucket", "object", "mappers", "reducers", "expected_total",
"expected_distinct") plus "list", the R reduce results in partition order. A test checks

    sum(r["total"] for r in output["list"]) == output["expected_total"]
    sum(r["words"] for r in output["list"]) == output["expected_distinct"]
    [r["partition"] for r in output["list"]] == list(range(R))

Function executions per run and data (text generated with the seed "660.map-reduce/<size>"):

    size    words     M   R   executions                             expected_total  expected_distinct
    test    2000      3   2   split 1, map 3, shuffle 1, reduce 2    2000            64
    small   200000    8   4   split 1, map 8, shuffle 1, reduce 4    200000          64
    large   1000000   16  8   split 1, map 16, shuffle 1, reduce 8   1000000         64

Per partition (p: words, total), the same in every run (only the keys' 8 hex digits change):
    test    0: 30, 1110   1: 34, 890
    small   0: 18, 85196  1: 15, 45325  2: 12, 29484  3: 19, 39995
    large   0: 9, 309405  1: 4, 149744  2: 3, 35455   3: 10, 97668
            4: 9, 117561  5: 11, 75189  6: 9, 112093  7: 9, 102885

The text file is written to a fresh temporary folder that is left in place: the framework uploads it
after generate_input has returned.
"""

import os
import random
import tempfile

SIZES = {
    # size -> (words in the text, mappers, reducers)
    "test": (2000, 3, 2),
    "small": (200000, 8, 4),
    "large": (1000000, 16, 8),
}

WORDS_PER_LINE = 12

VOCABULARY = (
    "river stone lantern orbit maple copper harbor violet thunder meadow "
    "signal compass ember glacier pepper velvet anchor canyon falcon quartz "
    "willow marble tundra saffron beacon cobalt prairie juniper lagoon summit "
    "cedar ripple nectar pebble zephyr walnut comet fjord bramble tide "
    "garnet hollow mosaic cinder puffin ledger spindle thistle orchard kettle "
    "basalt heron lichen sparrow tinder vapor wicker yarrow acorn dune "
    "ferry grotto inlet jasper"
).split()


def buckets_count():
    """One input prefix (the text), one output prefix (chunks, counts, partitions, results)."""
    return (1, 1)


def text_words(size):
    """The words of the generated text for a size, in order (deterministic)."""
    total = SIZES[size][0]
    rng = random.Random("660.map-reduce/" + size)
    # A skewed distribution, as in natural text: the k-th vocabulary word has weight 1 / (k + 1).
    weights = [1.0 / (k + 1) for k in range(len(VOCABULARY))]
    words = rng.choices(VOCABULARY, weights=weights, k=total)
    # Make sure every vocabulary word occurs at least once, so the distinct count is the vocabulary's.
    for k, word in enumerate(VOCABULARY):
        if k < total:
            words[(k * 7919) % total] = word
    return words


def write_text(path, words):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for start in range(0, len(words), WORDS_PER_LINE):
            f.write(" ".join(words[start:start + WORDS_PER_LINE]))
            f.write("\n")


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in SIZES:
        raise ValueError("unknown size %r for 660.map-reduce; valid sizes: %s"
                         % (size, ", ".join(SIZES)))
    total, mappers, reducers = SIZES[size]
    words = text_words(size)
    key = "words-%s.txt" % size
    # The framework uploads the file after generate_input returns: the folder must outlive it.
    folder = tempfile.mkdtemp(prefix="sebs-660-map-reduce-")
    path = os.path.join(folder, key)
    write_text(path, words)
    upload_func(0, key, path)
    return {
        "bucket": {"bucket": benchmarks_bucket, "input": input_paths[0], "output": output_paths[0]},
        "object": {"key": key},
        "mappers": mappers,
        "reducers": reducers,
        "expected_total": len(words),
        "expected_distinct": len(set(words)),
    }


def partition_of(word, reducers):
    """The reducer partition of a word, as shuffle computes it."""
    return sum(word.encode("utf-8")) % reducers
