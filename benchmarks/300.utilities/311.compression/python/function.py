"""311.compression: zip a folder of objects from storage and store the archive.

Event: {"bucket": {"bucket": B, "input": IN, "output": OUT}, "object": {"key": DATASET}}. Every
object under IN/DATASET/ is downloaded (the storage module recreates the keys as paths), the tree
is zipped with shutil.make_archive (entries "DATASET/..."), and the archive is uploaded as
OUT/DATASET.zip (the storage module makes the key unique). Times are in microseconds.
"""

import os
import shutil
import tempfile
import time

from . import storage

client = storage.storage.get_instance()


def _micros(start_ns, end_ns):
    return (end_ns - start_ns) // 1000


def _tree_size(root):
    """(number of files, total bytes) below root."""
    files, total = 0, 0
    for folder, _, names in os.walk(root):
        for name in names:
            files += 1
            total += os.path.getsize(os.path.join(folder, name))
    return files, total


def handler(event):
    bucket = event["bucket"]["bucket"]
    input_prefix = event["bucket"]["input"].rstrip("/")
    output_prefix = event["bucket"]["output"].rstrip("/")
    dataset = event["object"]["key"].strip("/")
    if not dataset or dataset in (".", "..") or "/" in dataset:
        raise ValueError("event['object']['key'] must name one folder, got %r" % (dataset,))

    work_dir = tempfile.mkdtemp(prefix="compression-", dir=os.environ.get("SEBS_TMP") or None)
    try:
        download_dir = os.path.join(work_dir, "download")
        t0 = time.perf_counter_ns()
        client.download_directory(bucket, input_prefix + "/" + dataset + "/", download_dir)
        t1 = time.perf_counter_ns()
        # download_directory writes each object at download_dir/<its whole key>
        parent = os.path.join(download_dir, input_prefix)
        files, raw_size = _tree_size(os.path.join(parent, dataset))
        if files == 0:
            raise FileNotFoundError("no objects under s3://%s/%s/%s/" % (bucket, input_prefix, dataset))

        archive = shutil.make_archive(os.path.join(work_dir, dataset), "zip",
                                      root_dir=parent, base_dir=dataset)
        t2 = time.perf_counter_ns()
        archive_size = os.path.getsize(archive)
        key = client.upload(bucket, "%s/%s.zip" % (output_prefix, dataset), archive)
        t3 = time.perf_counter_ns()
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)

    return {
        "result": {"bucket": bucket, "key": key, "size": archive_size, "files": files,
                   "uncompressed_size": raw_size},
        "measurement": {
            "download_time": _micros(t0, t1),
            "download_size": raw_size,
            "compress_time": _micros(t1, t2),
            "upload_time": _micros(t2, t3),
            "upload_size": archive_size,
        },
    }
