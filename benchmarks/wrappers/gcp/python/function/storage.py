"""sebs-junit gcp platform: object storage for Python benchmark functions (SeBS's storage interface).

Benchmark code uses it as on any SeBS platform:

    from . import storage
    client = storage.storage.get_instance()
    key = client.upload(bucket, "out/result.png", "/tmp/result.png")

Cloud Storage's JSON API, spoken with the Python standard library only (http.client + json): no
google-cloud-storage to install or import, so a cold start pays for neither. Where it goes:
  STORAGE_EMULATOR_HOST   an endpoint override, Google's convention (e.g. http://127.0.0.1:4443; plain HTTP);
                          SEBS_STORAGE_ENDPOINT is accepted likewise
  otherwise               https://storage.googleapis.com with the service account's access token from the
                          metadata server (GCE_METADATA_HOST, default metadata.google.internal), cached until
                          a minute before it expires
With an override, requests carry a token only when GCE_METADATA_HOST is set explicitly (a stand-in that
checks tokens); emulators take none.

Uploads are single "media" requests streamed from the file; downloads stream to the file. Connections are
kept alive per thread and host.
"""

import http.client
import json
import os
import shutil
import threading
import time
import urllib.parse
import uuid

EMULATOR_ENV = "STORAGE_EMULATOR_HOST"
ENDPOINT_ENV = "SEBS_STORAGE_ENDPOINT"
GOOGLE_BASE = "https://storage.googleapis.com"
METADATA_TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token"
TIMEOUT = 120


class GoogleApiError(IOError):
    """A Google API answered with an error status; message is Google's."""

    def __init__(self, method, url, status, body):
        self.status = status
        message = body.decode("utf-8", "replace")[:500]
        try:
            error = json.loads(body).get("error", {})
            message = "%s: %s" % (error.get("status", status), error.get("message", message))
        except (ValueError, AttributeError):
            pass
        super().__init__("%s %s failed: HTTP %d %s" % (method, url.split("?")[0], status, message))


class _Token:
    """The metadata server's access token, fetched on first use and again shortly before it expires."""

    def __init__(self):
        self._value = None
        self._expires = 0.0
        self._lock = threading.Lock()

    def header(self):
        with self._lock:
            if self._value is None or time.time() > self._expires - 60:
                host = os.environ.get("GCE_METADATA_HOST", "").strip() or "metadata.google.internal"
                connection = http.client.HTTPConnection(host, timeout=10)
                try:
                    connection.request("GET", METADATA_TOKEN_PATH, headers={"Metadata-Flavor": "Google"})
                    response = connection.getresponse()
                    body = response.read()
                finally:
                    connection.close()
                if response.status != 200:
                    raise GoogleApiError("GET", "http://%s%s" % (host, METADATA_TOKEN_PATH), response.status, body)
                token = json.loads(body)
                self._value = "%s %s" % (token.get("token_type", "Bearer"), token["access_token"])
                self._expires = time.time() + float(token.get("expires_in", 300))
            return self._value


class _Http:
    """HTTP/1.1 with one kept-alive connection per thread and host; a dropped idle connection is reopened."""

    def __init__(self):
        self._local = threading.local()

    def _connection(self, scheme, netloc, fresh=False):
        connections = getattr(self._local, "connections", None)
        if connections is None:
            connections = self._local.connections = {}
        key = (scheme, netloc)
        if fresh and key in connections:
            connections.pop(key).close()
        if key not in connections:
            cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            connections[key] = cls(netloc, timeout=TIMEOUT)
        return connections[key]

    def request(self, method, url, body=None, headers=None):
        """Sends the request; returns the open response (read it fully before the next request)."""
        parts = urllib.parse.urlsplit(url)
        target = parts.path + ("?" + parts.query if parts.query else "")
        for attempt in (0, 1):
            connection = self._connection(parts.scheme, parts.netloc, fresh=attempt > 0)
            try:
                if attempt and hasattr(body, "seek"):
                    body.seek(0)
                connection.request(method, target, body=body, headers=headers or {})
                return connection.getresponse()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                    http.client.CannotSendRequest):
                connection.close()
                if attempt or not (body is None or isinstance(body, bytes) or hasattr(body, "seek")):
                    raise


def _endpoint():
    """(base URL, whether it is an override)."""
    for name in (EMULATOR_ENV, ENDPOINT_ENV):
        value = os.environ.get(name, "").strip()
        if value:
            if "://" not in value:
                value = "http://" + value
            return value.rstrip("/"), True
    return GOOGLE_BASE, False


def _quote(value):
    return urllib.parse.quote(value, safe="")


class storage:
    """SeBS's storage interface over Cloud Storage's JSON API; one shared instance per process."""

    instance = None
    _instance_lock = threading.Lock()

    def __init__(self):
        self._base, override = _endpoint()
        self._authorized = not override or bool(os.environ.get("GCE_METADATA_HOST", "").strip())
        self._token = _Token()
        self._http = _Http()

    @staticmethod
    def get_instance():
        if storage.instance is None:
            with storage._instance_lock:
                if storage.instance is None:
                    storage.instance = storage()
        return storage.instance

    @staticmethod
    def unique_name(name):
        """'dir/photo.jpg' -> 'dir/photo.1a2b3c4d.jpg': 8 random hex digits before the extension."""
        stem, extension = os.path.splitext(name)
        return "%s.%s%s" % (stem, uuid.uuid4().hex[:8], extension)

    # ------------------------------------------------------------------------------------------- HTTP

    def _send(self, method, path, body=None, headers=None, expect=(200,)):
        """The open response to an API call; an unexpected status raises GoogleApiError."""
        url = self._base + path
        headers = dict(headers or {})
        if self._authorized:
            headers["Authorization"] = self._token.header()
        response = self._http.request(method, url, body=body, headers=headers)
        if response.status not in expect:
            raise GoogleApiError(method, url, response.status, response.read())
        return response

    def _json(self, method, path, **kwargs):
        response = self._send(method, path, **kwargs)
        body = response.read()
        return json.loads(body) if body else {}

    def _object_path(self, bucket, name):
        return "/storage/v1/b/%s/o/%s?alt=media" % (_quote(bucket), _quote(name))

    def _upload(self, bucket, key, body, length):
        path = "/upload/storage/v1/b/%s/o?uploadType=media&name=%s" % (_quote(bucket), _quote(key))
        self._json("POST", path, body=body, headers={"Content-Type": "application/octet-stream",
                                                      "Content-Length": str(length)})

    # ------------------------------------------------------------------------------------------- SeBS's interface

    def upload(self, bucket, file, filepath, unique_name=True):
        """Uploads the local file filepath under a unique key derived from file (or file itself with
        unique_name=False, as SeBS-Flow's workflows ask); returns that key."""
        key = storage.unique_name(file) if unique_name else file
        with open(os.fspath(filepath), "rb") as f:
            self._upload(bucket, key, f, os.fstat(f.fileno()).st_size)
        return key

    def download(self, bucket, file, filepath):
        """Downloads the object file into the local path filepath."""
        response = self._send("GET", self._object_path(bucket, file))
        with open(os.fspath(filepath), "wb") as f:
            shutil.copyfileobj(response, f, 1024 * 1024)

    def download_directory(self, bucket, prefix, path):
        """Downloads every object whose key starts with prefix to path/<key>, creating directories.

        As in SeBS, the whole key (prefix included) is the file's path below path.
        """
        for key in list(self.list_directory(bucket, prefix)):
            if key.endswith("/"):  # a "folder" marker object, nothing to write
                continue
            target = os.path.join(path, key)
            os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            self.download(bucket, key, target)

    def upload_stream(self, bucket, file, data, unique_name=True):
        """Uploads data (bytes-like or a readable binary file object) under a unique key (or file itself
        with unique_name=False); returns it."""
        key = storage.unique_name(file) if unique_name else file
        if not isinstance(data, (bytes, bytearray, memoryview)):
            data = data.read()
        data = bytes(data)
        self._upload(bucket, key, data, len(data))
        return key

    def list_directory(self, bucket, prefix):
        """Yields the key of every object whose key starts with prefix (all pages; SeBS-Flow uses it)."""
        token = None
        while True:
            query = {"prefix": prefix or "", "fields": "items(name),nextPageToken"}
            if token:
                query["pageToken"] = token
            page = self._json("GET", "/storage/v1/b/%s/o?%s" % (_quote(bucket), urllib.parse.urlencode(query)))
            for item in page.get("items", ()):
                yield item["name"]
            token = page.get("nextPageToken")
            if not token:
                return

    def download_within_range(self, bucket, file, start_byte, stop_byte):
        """Returns bytes start_byte..stop_byte (inclusive) of the object, decoded as UTF-8 as in SeBS-Flow."""
        response = self._send("GET", self._object_path(bucket, file), expect=(200, 206),
                              headers={"Range": "bytes=%d-%d" % (start_byte, stop_byte)})
        body = response.read()
        if response.status == 200:  # a server that ignores Range sends everything
            body = body[start_byte:stop_byte + 1]
        return body.decode("utf-8")

    def download_stream(self, bucket, file):
        """Returns the content of the object file as bytes."""
        return self._send("GET", self._object_path(bucket, file)).read()
