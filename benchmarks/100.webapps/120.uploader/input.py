"""Input generation and output validation for 120.uploader.

The function downloads the file at event["object"]["url"] over HTTP(S) and stores it in object
storage under event["bucket"]["output"] (an output prefix of the benchmarks bucket):

    event  = {"bucket": {"bucket": <benchmarks bucket>, "output": <output prefix>},
              "object": {"url": <http(s) URL>}}
    result = {"bucket": <bucket>, "url": <url>, "key": <stored key>,
              "size": <bytes downloaded>, "sha256": <hex digest of those bytes>}

Where the URL comes from
------------------------
Nothing may be downloaded from outside this machine, so the file has to be served locally by
whoever runs the benchmark. generate_input takes the URL from the environment variable
SEBS_UPLOADER_URL (read when the input is generated, i.e. in the test JVM's environment); a
"{size}" in it is replaced by the size name ("test", "small", "large"), so one server can offer
a file per size, e.g. SEBS_UPLOADER_URL=http://127.0.0.1:8000/{size}.bin.

Without SEBS_UPLOADER_URL the URL is PLACEHOLDER_URL: a loopback address on which nothing
listens, so invoking the function with the unmodified generated input fails at once with
"connection refused" (and the function's error names the URL). The suite tests
(UploaderPythonTest, UploaderNodejsTest) therefore run their own HTTP server and invoke the
function with the generated bucket fields and their server's URL.

SeBS uses a picture of about 230 kB for "test"; FILE_SIZES suggests comparable sizes for a
locally served file, it is informational only (the function uploads whatever it downloads).
"""

import os
import re
from urllib.parse import urlsplit

URL_ENV = "SEBS_UPLOADER_URL"
PLACEHOLDER_URL = "http://127.0.0.1:9/sebs-uploader-set-SEBS_UPLOADER_URL/{size}.bin"

# Suggested size in bytes of the file to serve for each named size.
FILE_SIZES = {"test": 256 * 1024, "small": 4 * 1024 * 1024, "large": 32 * 1024 * 1024}

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def buckets_count():
    """No input prefix; one output prefix for the uploaded files."""
    return (0, 1)


def source_url(size):
    """The URL to download for a size: SEBS_UPLOADER_URL, else the placeholder."""
    template = os.environ.get(URL_ENV, "").strip() or PLACEHOLDER_URL
    return template.replace("{size}", size)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in FILE_SIZES:
        raise ValueError("unknown size %r for 120.uploader; valid sizes: %s"
                         % (size, ", ".join(FILE_SIZES)))
    return {
        "bucket": {"bucket": benchmarks_bucket, "output": output_paths[0]},
        "object": {"url": source_url(size)},
    }


def stored_name(url):
    """The file name the function derives from a URL: the text after the last "/" of its path
    (query and fragment left out), or "download.bin" when that is empty."""
    path = urlsplit(url).path
    return path[path.rfind("/") + 1:] or "download.bin"


def _output_is_valid(input_config, output, language):
    """The stored key lies under the output prefix and derives from the URL's file name.

    The event may carry optional expectations in "object": "size" (bytes) and "sha256" (hex);
    when present, the function's report must match them.
    """
    try:
        bucket = input_config["bucket"]["bucket"]
        prefix = input_config["bucket"]["output"]
        obj = input_config["object"]
        url = obj["url"]
    except (KeyError, TypeError):
        return False
    if not isinstance(output, dict):
        return False
    if output.get("bucket") != bucket or output.get("url") != url:
        return False

    key = output.get("key")
    if not isinstance(key, str):
        return False
    stem, ext = os.path.splitext(stored_name(url))
    expected_head = prefix.rstrip("/") + "/" + stem + "."
    # storage.upload inserts 8 hex digits before the extension: <prefix>/<stem>.<hex8><ext>
    if not key.startswith(expected_head) or not key.endswith(ext):
        return False
    unique = key[len(expected_head):len(key) - len(ext)] if ext else key[len(expected_head):]
    if not re.fullmatch(r"[0-9a-f]{8}", unique):
        return False

    size = output.get("size")
    digest = output.get("sha256")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        return False
    if not isinstance(digest, str) or not _HEX64.match(digest):
        return False
    if "size" in obj and obj["size"] != size:
        return False
    if "sha256" in obj and str(obj["sha256"]).lower() != digest:
        return False
    return True


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ("the stored key must lie under the output prefix and derive from the URL's file name (and match the expected size and digest when the event gives them)", text if len(text) <= 300 else text[:300] + "...")
