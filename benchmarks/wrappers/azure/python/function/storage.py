"""sebs-junit azure platform: object storage for Python benchmark functions (SeBS's storage interface).

Benchmark code uses it as on any SeBS platform (buckets are Blob containers):

    from . import storage
    client = storage.storage.get_instance()
    key = client.upload(container, "out/result.png", "/tmp/result.png")

Blob Storage's REST API, spoken with the Python standard library only (http.client, hmac, xml.etree): no
azure-storage-blob to install or import, so a cold start pays for neither. Requests are signed with the
account key (Shared Key), or carry the SAS token, of the connection string:
  STORAGE_CONNECTION_STRING   the storage account's connection string, as SeBS's Azure functions get it
                              (AccountName, AccountKey or SharedAccessSignature, BlobEndpoint or
                              DefaultEndpointsProtocol + EndpointSuffix; UseDevelopmentStorage=true for Azurite)

Uploads are one Put Blob request streamed from the file (up to 5000 MiB); downloads stream to the file.
Connections are kept alive per thread and host. Requests answered 500 or 503 (the account is busy) are sent
again a few times, with growing waits.
"""

import base64
import email.utils
import hashlib
import hmac
import http.client
import os
import shutil
import threading
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ElementTree

CONNECTION_STRING_ENV = "STORAGE_CONNECTION_STRING"
API_VERSION = "2021-12-02"
TIMEOUT = 120
SERVER_BUSY_RETRIES = 3  # 500 and 503 (ServerBusy) are retried after 0.2, 0.4, 0.8 s, as the SDKs retry them
LIST_PAGE_SIZE = None  # blobs per List Blobs page; None: the service's maximum (5000)
# Azurite's well-known development account (UseDevelopmentStorage=true)
DEVELOPMENT_ACCOUNT = "devstoreaccount1"
DEVELOPMENT_KEY = ("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==")


class AzureStorageError(IOError):
    """Blob Storage answered with an error status; message holds Azure's error code and message."""

    def __init__(self, method, url, status, body):
        self.status = status
        message = body.decode("utf-8", "replace")[:500]
        try:
            error = ElementTree.fromstring(body)
            message = "%s: %s" % (error.findtext("Code", ""), (error.findtext("Message", "") or "").split("\n")[0])
        except ElementTree.ParseError:
            pass
        super().__init__("%s %s failed: HTTP %d %s" % (method, url.split("?")[0], status, message))


def parse_connection_string(text):
    """The connection string's settings as a dict (names as Azure spells them)."""
    settings = {}
    for part in (text or "").split(";"):
        part = part.strip()
        if part:
            name, _, value = part.partition("=")
            settings[name.strip()] = value.strip()
    if settings.get("UseDevelopmentStorage", "").lower() == "true":
        settings.setdefault("AccountName", DEVELOPMENT_ACCOUNT)
        settings.setdefault("AccountKey", DEVELOPMENT_KEY)
        settings.setdefault("BlobEndpoint", "http://127.0.0.1:10000/" + DEVELOPMENT_ACCOUNT)
    return settings


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
            connections[key] = cls(netloc, timeout=TIMEOUT, blocksize=1024 * 1024)
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


class storage:
    """SeBS's storage interface over Blob Storage's REST API; one shared instance per process."""

    instance = None
    _instance_lock = threading.Lock()

    def __init__(self, connection_string=None):
        text = connection_string or os.environ.get(CONNECTION_STRING_ENV, "")
        settings = parse_connection_string(text)
        self._account = settings.get("AccountName", "")
        key = settings.get("AccountKey")
        self._key = base64.b64decode(key) if key else None
        self._sas = settings.get("SharedAccessSignature", "").lstrip("?")
        endpoint = settings.get("BlobEndpoint")
        if not endpoint:
            if not self._account:
                raise RuntimeError("%s names no storage account (AccountName or BlobEndpoint): is it set?"
                                   % CONNECTION_STRING_ENV)
            endpoint = "%s://%s.blob.%s" % (settings.get("DefaultEndpointsProtocol", "https"), self._account,
                                            settings.get("EndpointSuffix", "core.windows.net"))
        if self._key is None and not self._sas:
            raise RuntimeError("%s has neither AccountKey nor SharedAccessSignature" % CONNECTION_STRING_ENV)
        self._endpoint = endpoint.rstrip("/")
        self._base_path = urllib.parse.urlsplit(self._endpoint).path  # Azurite: /<account>
        self._http = _Http()

    @staticmethod
    def get_instance(connection_string=None):
        """The shared instance (connection_string: SeBS's wrapper passes it; STORAGE_CONNECTION_STRING else)."""
        if storage.instance is None:
            with storage._instance_lock:
                if storage.instance is None:
                    storage.instance = storage(connection_string)
        return storage.instance

    @staticmethod
    def unique_name(name):
        """'dir/photo.jpg' -> 'dir/photo.1a2b3c4d.jpg': 8 random hex digits before the extension."""
        stem, extension = os.path.splitext(name)
        return "%s.%s%s" % (stem, uuid.uuid4().hex[:8], extension)

    # ------------------------------------------------------------------------------------------- HTTP

    def _sign(self, method, path, query, headers):
        """The Shared Key Authorization header (Blob service, version 2009-09-19 and later)."""
        x_ms = sorted((name.lower(), " ".join(str(value).split())) for name, value in headers.items()
                      if name.lower().startswith("x-ms-"))
        length = str(headers.get("Content-Length", ""))
        string_to_sign = "\n".join([
            method,
            headers.get("Content-Encoding", ""),
            headers.get("Content-Language", ""),
            "" if length == "0" else length,
            headers.get("Content-MD5", ""),
            headers.get("Content-Type", ""),
            "",  # Date: x-ms-date is sent instead
            headers.get("If-Modified-Since", ""),
            headers.get("If-Match", ""),
            headers.get("If-None-Match", ""),
            headers.get("If-Unmodified-Since", ""),
            headers.get("Range", ""),
        ]) + "\n"
        string_to_sign += "".join("%s:%s\n" % pair for pair in x_ms)
        string_to_sign += "/" + self._account + path
        for name, values in sorted((k.lower(), v) for k, v in query.items()):
            string_to_sign += "\n%s:%s" % (name, ",".join(sorted(values)))
        signature = hmac.new(self._key, string_to_sign.encode("utf-8"), hashlib.sha256).digest()
        return "SharedKey %s:%s" % (self._account, base64.b64encode(signature).decode("ascii"))

    def _send(self, method, container, blob=None, query=None, body=None, headers=None, expect=(200,)):
        """The open response to a request on a container or blob; an unexpected status raises."""
        path = self._base_path + "/" + urllib.parse.quote(container, safe="")
        if blob is not None:
            path += "/" + urllib.parse.quote(blob, safe="/~")
        query = {k: [v] for k, v in (query or {}).items() if v is not None}
        headers = dict(headers or {})
        headers["x-ms-date"] = email.utils.formatdate(usegmt=True)
        headers["x-ms-version"] = API_VERSION
        if method in ("PUT", "POST") and "Content-Length" not in headers:
            headers["Content-Length"] = "0"
        if self._key is not None:
            headers["Authorization"] = self._sign(method, path, query, headers)
        query_string = urllib.parse.urlencode([(k, v[0]) for k, v in query.items()], quote_via=urllib.parse.quote)
        if self._key is None:
            query_string = "&".join(p for p in (query_string, self._sas) if p)
        endpoint = urllib.parse.urlsplit(self._endpoint)
        url = "%s://%s%s%s" % (endpoint.scheme, endpoint.netloc, path, "?" + query_string if query_string else "")
        resendable = body is None or isinstance(body, bytes) or hasattr(body, "seek")
        for retry in range(SERVER_BUSY_RETRIES + 1):
            if retry and hasattr(body, "seek"):
                body.seek(0)
            response = self._http.request(method, url, body=body, headers=headers)
            if response.status in expect or response.status not in (500, 503) or not resendable \
                    or retry == SERVER_BUSY_RETRIES:
                break
            response.read()  # the connection is reused
            time.sleep(0.2 * 2 ** retry)
        if response.status not in expect:
            raise AzureStorageError(method, url, response.status, response.read())
        return response

    def _put(self, container, key, body, length):
        response = self._send("PUT", container, key, body=body, expect=(201,), headers={
            "Content-Type": "application/octet-stream", "Content-Length": str(length),
            "x-ms-blob-type": "BlockBlob"})
        response.read()

    # ------------------------------------------------------------------------------------------- SeBS's interface

    def upload(self, container, file, filepath, unique_name=True):
        """Uploads the local file filepath under a unique key derived from file (or file itself with
        unique_name=False, as SeBS-Flow's workflows ask); returns that key."""
        key = storage.unique_name(file) if unique_name else file
        with open(os.fspath(filepath), "rb") as f:
            self._put(container, key, f, os.fstat(f.fileno()).st_size)
        return key

    def download(self, container, file, filepath):
        """Downloads the blob file into the local path filepath."""
        response = self._send("GET", container, file)
        with open(os.fspath(filepath), "wb") as f:
            shutil.copyfileobj(response, f, 1024 * 1024)

    def download_directory(self, container, prefix, path):
        """Downloads every blob whose name starts with prefix to path/<name>, creating directories.

        As in SeBS, the whole name (prefix included) is the file's path below path.
        """
        for key in list(self.list_directory(container, prefix)):
            if key.endswith("/"):  # a "folder" marker blob, nothing to write
                continue
            target = os.path.join(path, key)
            os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            self.download(container, key, target)

    def upload_stream(self, container, file, data, unique_name=True):
        """Uploads data (bytes-like or a readable binary file object) under a unique key (or file itself
        with unique_name=False); returns it."""
        key = storage.unique_name(file) if unique_name else file
        if not isinstance(data, (bytes, bytearray, memoryview)):
            data = data.read()
        data = bytes(data)
        self._put(container, key, data, len(data))
        return key

    def list_directory(self, container, prefix):
        """Yields the name of every blob whose name starts with prefix (all pages; SeBS-Flow uses it)."""
        marker = None
        while True:
            query = {"restype": "container", "comp": "list", "prefix": prefix or None, "marker": marker,
                     "maxresults": None if LIST_PAGE_SIZE is None else str(LIST_PAGE_SIZE)}
            page = ElementTree.fromstring(self._send("GET", container, query=query).read())
            for name in page.iterfind("./Blobs/Blob/Name"):
                yield name.text
            marker = page.findtext("NextMarker")
            if not marker:
                return

    def download_within_range(self, container, file, start_byte, stop_byte):
        """Returns bytes start_byte..stop_byte (inclusive) of the blob, decoded as UTF-8 as in SeBS-Flow."""
        response = self._send("GET", container, file, expect=(200, 206),
                              headers={"x-ms-range": "bytes=%d-%d" % (start_byte, stop_byte)})
        body = response.read()
        if response.status == 200:  # a server that ignores the range sends everything
            body = body[start_byte:stop_byte + 1]
        return body.decode("utf-8")

    def download_stream(self, container, file):
        """Returns the content of the blob file as bytes."""
        return self._send("GET", container, file).read()
