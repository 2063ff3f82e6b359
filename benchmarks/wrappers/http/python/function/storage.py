"""sebs-junit local platform: object storage for Python benchmark functions (SeBS's storage interface).

Benchmark code uses it as on any SeBS platform:

    from . import storage
    client = storage.storage.get_instance()
    key = client.upload(bucket, "out/result.png", "/tmp/result.png")

The platform runs an S3-API server and tells each function instance where it is:
  SEBS_STORAGE_ENDPOINT   e.g. http://127.0.0.1:39211 (path-style addressing)
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION / AWS_DEFAULT_REGION (default us-east-1)

On AWS Lambda (AWS_LAMBDA_FUNCTION_NAME is set) SEBS_STORAGE_ENDPOINT is optional: without it the client
uses the SDK's defaults, i.e. S3 of the function's region (virtual-hosted addressing) with the execution
role's credentials; with it (an endpoint override, e.g. a test stand-in) addressing is path-style.

boto3 is imported and the client built on first use, so that cost is paid by the first request that
touches storage (as with a lazily created client on a cloud platform), not by the import of this module.
The framework adds boto3 to the function's environment when config.json lists "storage" in "modules".
"""

import io
import os
import threading
import uuid

ENDPOINT_ENV = "SEBS_STORAGE_ENDPOINT"
DEFAULT_REGION = "us-east-1"


def _region():
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return DEFAULT_REGION


def _client_config(**extra):
    """A botocore Config; third-party S3 servers are spared the optional checksums botocore 1.36+ adds."""
    from botocore.config import Config

    try:
        return Config(request_checksum_calculation="when_required",
                      response_checksum_validation="when_required", **extra)
    except TypeError:  # botocore older than 1.36 knows neither option (nor sends such checksums)
        return Config(**extra)


def _new_s3_client():
    endpoint = os.environ.get(ENDPOINT_ENV, "").strip()
    if not endpoint and not os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        raise RuntimeError("%s is not set: this function instance has no object storage (does the "
                           "benchmark's config.json list \"storage\" in \"modules\"?)" % ENDPOINT_ENV)
    try:
        import boto3
    except ImportError as e:
        raise RuntimeError("boto3 is not installed in the function's environment (%s); the framework "
                           "adds it when config.json lists \"storage\" in \"modules\"" % e)
    kwargs = {}
    key_id = os.environ.get("AWS_ACCESS_KEY_ID")
    secret = os.environ.get("AWS_SECRET_ACCESS_KEY")
    if key_id and secret:
        kwargs.update(aws_access_key_id=key_id, aws_secret_access_key=secret,
                      aws_session_token=os.environ.get("AWS_SESSION_TOKEN") or None)
    if not endpoint:
        return boto3.session.Session().client("s3", region_name=_region(),
                                              config=_client_config(signature_version="s3v4"), **kwargs)
    config = _client_config(s3={"addressing_style": "path"}, signature_version="s3v4")
    return boto3.session.Session().client("s3", endpoint_url=endpoint, region_name=_region(),
                                          config=config, **kwargs)


class storage:
    """SeBS's storage interface over the platform's S3-API server; one shared instance per process."""

    instance = None
    _instance_lock = threading.Lock()

    def __init__(self):
        self._client = None
        self._client_lock = threading.Lock()

    @staticmethod
    def get_instance():
        if storage.instance is None:
            with storage._instance_lock:
                if storage.instance is None:
                    storage.instance = storage()
        return storage.instance

    @property
    def client(self):
        """The boto3 S3 client, created (and boto3 imported) on first use."""
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    self._client = _new_s3_client()
        return self._client

    @staticmethod
    def unique_name(name):
        """'dir/photo.jpg' -> 'dir/photo.1a2b3c4d.jpg': 8 random hex digits before the extension."""
        stem, extension = os.path.splitext(name)
        return "%s.%s%s" % (stem, uuid.uuid4().hex[:8], extension)

    def upload(self, bucket, file, filepath, unique_name=True):
        """Uploads the local file filepath under a unique key derived from file (or file itself with
        unique_name=False, as SeBS-Flow's workflows ask); returns that key."""
        key = storage.unique_name(file) if unique_name else file
        self.client.upload_file(os.fspath(filepath), bucket, key)
        return key

    def download(self, bucket, file, filepath):
        """Downloads the object file into the local path filepath."""
        self.client.download_file(bucket, file, os.fspath(filepath))

    def download_directory(self, bucket, prefix, path):
        """Downloads every object whose key starts with prefix to path/<key>, creating directories.

        As in SeBS, the whole key (prefix included) is the file's path below path.
        """
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            for obj in page.get("Contents", ()):
                key = obj["Key"]
                if key.endswith("/"):  # a "folder" marker object, nothing to write
                    continue
                target = os.path.join(path, key)
                os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
                self.download(bucket, key, target)

    def upload_stream(self, bucket, file, data, unique_name=True):
        """Uploads data (bytes-like or a readable binary file object) under a unique key (or file itself
        with unique_name=False); returns it."""
        key = storage.unique_name(file) if unique_name else file
        if isinstance(data, (bytes, bytearray, memoryview)):
            data = io.BytesIO(data)
        self.client.upload_fileobj(data, bucket, key)
        return key

    def list_directory(self, bucket, prefix):
        """Yields the key of every object whose key starts with prefix (SeBS-Flow's workflows use it)."""
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            for obj in page.get("Contents", ()):
                yield obj["Key"]

    def download_within_range(self, bucket, file, start_byte, stop_byte):
        """Returns bytes start_byte..stop_byte (inclusive) of the object, decoded as UTF-8 as in SeBS-Flow."""
        body = self.client.get_object(Bucket=bucket, Key=file, Range="bytes=%d-%d" % (start_byte, stop_byte))["Body"]
        try:
            return body.read().decode("utf-8")
        finally:
            body.close()

    def download_stream(self, bucket, file):
        """Returns the content of the object file as bytes."""
        body = self.client.get_object(Bucket=bucket, Key=file)["Body"]
        try:
            return body.read()
        finally:
            body.close()
