"""504.dna-visualisation: turn a DNA sequence from a FASTA file into 2D "squiggle" coordinates.

SeBS computes this with the `squiggle` package (method "squiggle"), which cannot be installed on
every machine; this module implements the same transformation in pure Python:

  * x advances by 0.5 per half step: x = 0, 0.5, 1.0, ..., len(sequence)
  * y starts at 0 (the level); each base adds two points, a peak and the new level:
        A: level + 0.5, level          C: level - 0.5, level
        G: level + 0.5, level + 1      T: level - 0.5, level - 1
    any other character (N, gaps, ...) keeps the line flat: level, level.

The function downloads the FASTA file, transforms its sequence (header lines dropped, records
concatenated, line breaks removed), and uploads the coordinates as JSON [[x...], [y...]] to the output
prefix. measurement values are microseconds (times) and bytes (sizes).
"""

import json
import os
import shutil
import tempfile
import time

from . import storage

client = storage.storage.get_instance()

# base -> (offset of the peak from the current level, change of the level)
_STEPS = {"A": (0.5, 0), "C": (-0.5, 0), "G": (0.5, 1), "T": (-0.5, -1)}
_FLAT = (0, 0)
_COUNTED = "ACGT"


def read_fasta_sequence(text):
    """The concatenated sequence of every record in a FASTA text (';' lines are comments)."""
    parts = []
    for line in text.splitlines():
        if line.startswith(">") or line.startswith(";"):
            continue
        parts.append("".join(line.split()))
    return "".join(parts)


def squiggle(sequence):
    """(x, y) coordinates of the squiggle line of sequence: 2 * len(sequence) + 1 points each."""
    xs = [i * 0.5 for i in range(2 * len(sequence) + 1)]
    ys = [0]
    append = ys.append
    steps = _STEPS
    level = 0
    for base in sequence.upper():
        peak, change = steps.get(base, _FLAT)
        append(level + peak)
        level += change
        append(level)
    return xs, ys


def _scratch_dir():
    return tempfile.mkdtemp(prefix="dna-", dir=os.environ.get("SEBS_TMP") or None)


def handler(event):
    bucket = event["bucket"]["bucket"]
    input_prefix = event["bucket"]["input"]
    output_prefix = event["bucket"]["output"]
    key = event["object"]["key"]

    scratch = _scratch_dir()
    try:
        local_path = os.path.join(scratch, os.path.basename(key) or "sequence.fasta")
        download_begin = time.perf_counter()
        client.download(bucket, input_prefix + "/" + key, local_path)
        download_end = time.perf_counter()
        download_size = os.path.getsize(local_path)
        with open(local_path, "r", encoding="ascii", errors="replace") as f:
            text = f.read()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    compute_begin = time.perf_counter()
    sequence = read_fasta_sequence(text)
    xs, ys = squiggle(sequence)
    payload = json.dumps([xs, ys]).encode("utf-8")
    compute_end = time.perf_counter()

    stem = os.path.splitext(os.path.basename(key))[0] or "sequence"
    upload_begin = time.perf_counter()
    result_key = client.upload_stream(bucket, output_prefix + "/" + stem + ".json", payload)
    upload_end = time.perf_counter()

    upper = sequence.upper()
    counts = {base: upper.count(base) for base in _COUNTED}
    counts["other"] = len(sequence) - sum(counts.values())
    return {
        "result": {
            "bucket": bucket,
            "key": result_key,
            "length": len(sequence),
            "points": len(xs),
            "bases": counts,
            "final_y": ys[-1],
            "min_y": min(ys),
            "max_y": max(ys),
        },
        "measurement": {
            "download_time": (download_end - download_begin) * 1e6,
            "download_size": download_size,
            "compute_time": (compute_end - compute_begin) * 1e6,
            "upload_time": (upload_end - upload_begin) * 1e6,
            "upload_size": len(payload),
        },
    }
