"""Input generation and output validation for 504.dna-visualisation.

Input: one FASTA file in input prefix 0. With a SeBS benchmarks-data folder (sebs.data.dir holding
500.scientific/504.dna-visualisation/*.fasta, or a folder holding *.fasta itself) its files are
uploaded and the first one (by name) is transformed. Otherwise a seeded random sequence is written:

    size    bases        file
    test    10,000       ~10 kB
    small   100,000      ~100 kB
    large   1,000,000    ~1 MB

The event is {"object": {"key"}, "bucket": {"bucket", "input", "output"}}. The function reports the
uploaded key, the sequence length, the number of points (2 * length + 1), the base counts and the
final, lowest and highest y of the squiggle line.
"""

import glob
import os
import random
import tempfile

BENCHMARK_PATH = os.path.join("500.scientific", "504.dna-visualisation")
SEQUENCE_LENGTH = {"test": 10000, "small": 100000, "large": 1000000}
SEED = 42
LINE_WIDTH = 70
# Bacillus subtilis (SeBS's genome) has a GC content of about 43.5 %.
GC_CONTENT = 0.435


def buckets_count():
    return (1, 1)


def _data_files(data_dir):
    """FASTA files of a SeBS benchmarks-data folder (its root or this benchmark's folder), sorted."""
    if not data_dir:
        return []
    for folder in (os.path.join(data_dir, BENCHMARK_PATH), data_dir):
        files = sorted(glob.glob(os.path.join(folder, "*.fasta")))
        if files:
            return files
    return []


def write_random_fasta(path, length, seed):
    """A single-record FASTA file with a seeded random sequence of length bases."""
    rng = random.Random(seed)
    at, gc = (1.0 - GC_CONTENT) / 2, GC_CONTENT / 2
    bases = rng.choices("ATGC", weights=(at, at, gc, gc), k=length)
    sequence = "".join(bases)
    with open(path, "w", encoding="ascii") as f:
        f.write(">sebs-junit synthetic sequence seed=%d length=%d\n" % (seed, length))
        for start in range(0, length, LINE_WIDTH):
            f.write(sequence[start:start + LINE_WIDTH] + "\n")


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    if size not in SEQUENCE_LENGTH:
        raise ValueError("unknown size %r for 504.dna-visualisation; valid sizes: %s"
                         % (size, ", ".join(SEQUENCE_LENGTH)))
    files = _data_files(data_dir)
    if files:
        for path in files:
            upload_func(0, os.path.basename(path), path)
        key = os.path.basename(files[0])
    else:
        length = SEQUENCE_LENGTH[size]
        key = "synthetic-%s-%d.fasta" % (size, length)
        path = os.path.join(tempfile.mkdtemp(prefix="sebs-504-"), key)
        write_random_fasta(path, length, SEED)
        upload_func(0, key, path)
    return {
        "object": {"key": key},
        "bucket": {"bucket": benchmarks_bucket, "input": input_paths[0], "output": output_paths[0]},
    }


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _output_is_valid(input_config, output, language):
    """The coordinates are consistent with the reported sequence and stored under the output prefix."""
    try:
        bucket = input_config["bucket"]
        if not isinstance(output, dict) or output.get("bucket") != bucket["bucket"]:
            return False
        key = output.get("key")
        if not isinstance(key, str) or not key.startswith(bucket["output"] + "/") or not key.endswith(".json"):
            return False
        length, points, bases = output.get("length"), output.get("points"), output.get("bases")
        if not _is_int(length) or length < 1 or points != 2 * length + 1 or not isinstance(bases, dict):
            return False
        counts = [bases.get(name) for name in ("A", "C", "G", "T", "other")]
        if not all(_is_int(c) and c >= 0 for c in counts) or sum(counts) != length:
            return False
        final_y, min_y, max_y = output.get("final_y"), output.get("min_y"), output.get("max_y")
        if not all(_is_number(v) for v in (final_y, min_y, max_y)):
            return False
        # Only G raises and only T lowers the level, so the line ends at #G - #T; peaks reach 0.5 past it.
        if final_y != bases["G"] - bases["T"] or not min_y <= min(0, final_y) <= max(0, final_y) <= max_y:
            return False
        return max_y <= bases["G"] + 0.5 and min_y >= -(bases["T"] + 0.5)
    except (KeyError, TypeError, AttributeError):
        return False


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ('the coordinates must fit the reported sequence and be stored under the output prefix', text if len(text) <= 300 else text[:300] + "...")
