"""Input generation and output validation for 311.compression.

The function downloads every object under <input prefix>/<dataset>/ from the benchmarks bucket,
zips the tree and uploads the archive to the output prefix:

    event  = {"bucket": {"bucket": B, "input": IN, "output": OUT}, "object": {"key": DATASET}}
    result = {"bucket": B, "key": <stored key, OUT/DATASET.<8 hex>.zip>, "size": <archive bytes>,
              "files": <files archived>, "uncompressed_size": <their total bytes>}

Data: with a data_dir that holds SeBS's benchmarks-data layout for this benchmark (the folder
300.utilities/311.compression/ below data_dir, or data_dir itself being that folder), its
sub-folders are uploaded as datasets, as SeBS does, and the first one in name order is compressed.
Otherwise a deterministic text tree is generated (DATASETS gives its shape per size), uploaded
from a temporary folder, and named "generated-<size>", so validate_output can check the exact file
count and byte total of the archive.
"""

import os
import random
import tempfile

BENCHMARK_PATH = os.path.join("300.utilities", "311.compression")

# size -> (number of files, bytes per file, sub-folders the files are spread over)
DATASETS = {
    "test": (8, 4 * 1024, 2),
    "small": (64, 32 * 1024, 4),
    "large": (256, 128 * 1024, 8),
}

WORDS = ("serverless function benchmark cold warm start latency storage bucket object archive "
         "compress deflate zip payload memory timeout invocation container runtime python node "
         "handler event result measurement suite cloud provider region queue table cart product "
         "download upload prefix key value stream buffer byte file folder tree text data").split()

EOCD_SIZE = 22  # the smallest possible zip file: an empty end-of-central-directory record


def buckets_count():
    return (1, 1)


def generated_name(size):
    return "generated-" + size


def _text(rng, length):
    """length bytes of ASCII pseudo-prose: lines of random words."""
    parts, total = [], 0
    while total < length:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))) + ".\n"
        parts.append(line)
        total += len(line)
    return "".join(parts)[:length].encode("ascii")


def write_dataset(root, size):
    """Writes the generated tree for a size below root/<generated_name(size)>/; returns that folder."""
    files, file_size, folders = DATASETS[size]
    base = os.path.join(root, generated_name(size))
    rng = random.Random("311.compression/" + size)
    for i in range(files):
        folder = os.path.join(base, "part-%02d" % (i % folders))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "doc-%04d.txt" % i), "wb") as f:
            f.write(_text(rng, file_size))
    return base


def _benchmark_data(data_dir):
    """SeBS's data folder for this benchmark inside data_dir, or None."""
    if not data_dir:
        return None
    for candidate in (os.path.join(data_dir, BENCHMARK_PATH), data_dir):
        if os.path.isdir(candidate) and os.path.basename(os.path.normpath(candidate)) == "311.compression":
            datasets = [d for d in sorted(os.listdir(candidate)) if os.path.isdir(os.path.join(candidate, d))]
            if datasets:
                return candidate
    return None


def _upload_tree(root, dataset, upload_func):
    """Uploads root/dataset/** as <dataset>/<relative path> into input prefix 0."""
    base = os.path.join(root, dataset)
    for folder, folders, names in os.walk(base):
        folders.sort()  # a stable upload order
        for name in sorted(names):
            path = os.path.join(folder, name)
            upload_func(0, os.path.relpath(path, root).replace(os.sep, "/"), path)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in DATASETS:
        raise ValueError("unknown size %r for 311.compression; valid sizes: %s"
                         % (size, ", ".join(DATASETS)))
    data = _benchmark_data(data_dir)
    if data is not None:
        datasets = [d for d in sorted(os.listdir(data)) if os.path.isdir(os.path.join(data, d))]
        for dataset in datasets:
            _upload_tree(data, dataset, upload_func)
        dataset = datasets[0]
    else:
        # The framework uploads the files after generate_input returns: the folder must outlive it.
        root = tempfile.mkdtemp(prefix="sebs-311-compression-")
        dataset = os.path.basename(write_dataset(root, size))
        _upload_tree(root, dataset, upload_func)
    return {
        "bucket": {"bucket": benchmarks_bucket, "input": input_paths[0], "output": output_paths[0]},
        "object": {"key": dataset},
    }


def _int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def _output_is_valid(input_config, output, language):
    """The archive is stored under the output prefix, is smaller than its text, and for a generated
    dataset holds exactly the generated files and bytes."""
    try:
        bucket = input_config["bucket"]["bucket"]
        prefix = input_config["bucket"]["output"].rstrip("/")
        dataset = input_config["object"]["key"]
    except (KeyError, TypeError, AttributeError):
        return False
    if not isinstance(output, dict) or output.get("bucket") != bucket:
        return False
    key = output.get("key")
    head = "%s/%s." % (prefix, dataset)
    if not isinstance(key, str) or not key.startswith(head) or not key.endswith(".zip"):
        return False
    unique = key[len(head):-len(".zip")]
    if len(unique) != 8 or any(c not in "0123456789abcdef" for c in unique):
        return False
    size, files, raw = output.get("size"), output.get("files"), output.get("uncompressed_size")
    if not (_int(size) and _int(files) and _int(raw)) or files < 1 or size <= EOCD_SIZE:
        return False
    for name, (count, file_size, _) in DATASETS.items():
        if dataset == generated_name(name):
            # pseudo-prose over a small vocabulary deflates to well under half
            return files == count and raw == count * file_size and size < raw // 2
    return raw > 0


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ('the archive must be stored under the output prefix, be smaller than its text, and hold exactly the generated files and bytes', text if len(text) <= 300 else text[:300] + "...")
