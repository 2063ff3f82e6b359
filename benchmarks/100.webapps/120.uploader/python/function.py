"""120.uploader: download a file from a URL and store it in object storage.

Event: {"bucket": {"bucket": B, "output": PREFIX}, "object": {"url": URL}}. The file is streamed
to a scratch file (hashing it on the way), then uploaded as PREFIX/<name from the URL> (the storage
module makes the key unique). Times are reported in microseconds.
"""

import hashlib
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

from . import storage

USER_AGENT = "sebs-junit-uploader/1.0"
DOWNLOAD_TIMEOUT_S = 20
CHUNK = 1024 * 1024

client = storage.storage.get_instance()


def _micros(start_ns, end_ns):
    return (end_ns - start_ns) // 1000


def _file_name(url):
    path = urlsplit(url).path
    return path[path.rfind("/") + 1:] or "download.bin"


def _download(url, target):
    """Streams url into target; returns (bytes written, sha256 hex)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    digest = hashlib.sha256()
    size = 0
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S) as response, \
                open(target, "wb") as out:
            while True:
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
    except (urllib.error.URLError, OSError) as e:
        raise RuntimeError("cannot download %s: %s" % (url, e)) from e
    return size, digest.hexdigest()


def handler(event):
    bucket = event["bucket"]["bucket"]
    output_prefix = event["bucket"]["output"]
    url = event["object"]["url"]
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("event['object']['url'] must be an http(s) URL, got %r" % (url,))

    name = _file_name(url)
    work_dir = tempfile.mkdtemp(prefix="uploader-", dir=os.environ.get("SEBS_TMP") or None)
    local_path = os.path.join(work_dir, uuid.uuid4().hex)
    try:
        t0 = time.perf_counter_ns()
        size, sha256 = _download(url, local_path)
        t1 = time.perf_counter_ns()
        key = client.upload(bucket, output_prefix.rstrip("/") + "/" + name, local_path)
        t2 = time.perf_counter_ns()
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)

    return {
        "result": {"bucket": bucket, "url": url, "key": key, "size": size, "sha256": sha256},
        "measurement": {
            "download_time": _micros(t0, t1),
            "download_size": size,
            "upload_time": _micros(t1, t2),
            "upload_size": size,
            "compute_time": _micros(t0, t2),
        },
    }
