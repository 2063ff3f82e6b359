"""sebs-junit azure platform: NoSQL tables for Python benchmark functions (SeBS's nosql interface).

Benchmark code uses it as on any SeBS platform:

    from . import nosql
    client = nosql.nosql.get_instance()
    client.insert("shopping_cart", ("cart_id", "c1"), ("product_id", "p1"), {"price": 10})

Keys are (attribute name, value) tuples; the secondary (sort) key may be None for a table without one.

Cosmos DB for NoSQL through its REST API, spoken with the Python standard library only (master-key
signatures with hmac). Items are laid out as SeBS's Azure functions write them, so whoever writes, any side
reads: a table is a container whose partition key path is /<primary key name>; the secondary key's value (as
a string) is the document's "id", and it is stored under its own name too (so its type survives). Without a
secondary key the primary key's value is the id. Items come back as plain dicts with the key attributes and
without Cosmos's own properties (id, _rid, _self, _etag, _attachments, _ts).

  get       one point read; None when there is no such item
  update    one Patch request ("add" of each attribute, as SeBS does); a missing item is created
  query     a SQL query within one partition (no cross-partition scan), following continuations
Throttled requests (429) are sent again after the wait Cosmos asks for, as Microsoft's SDKs do.

Where it goes (the variables SeBS's Azure functions get):
  NOSQL_STORAGE_URL        the account's endpoint, https://<account>.documents.azure.com:443/
  NOSQL_STORAGE_CREDS      the account's key
  NOSQL_STORAGE_DATABASE   the database of the tables
  SEBS_NOSQL_TABLES        JSON: the benchmark's table names -> container names (a name not in it is used as is,
                           as SeBS's Azure deployment names containers after the tables)
  SEBS_NOSQL_TLS_INSECURE  "1" to accept a self-signed certificate (a local stand-in); never set on Azure
"""

import base64
import email.utils
import hashlib
import hmac
import http.client
import json
import os
import ssl
import threading
import time
import urllib.parse

URL_ENV = "NOSQL_STORAGE_URL"
KEY_ENV = "NOSQL_STORAGE_CREDS"
DATABASE_ENV = "NOSQL_STORAGE_DATABASE"
TABLES_ENV = "SEBS_NOSQL_TABLES"
INSECURE_ENV = "SEBS_NOSQL_TLS_INSECURE"
API_VERSION = "2018-12-31"
SYSTEM_PROPERTIES = ("_rid", "_self", "_etag", "_attachments", "_ts")
TIMEOUT = 60
THROTTLE_RETRIES = 9  # as the SDKs' default throttling retry options
THROTTLE_WAIT = 30.0


class CosmosError(IOError):
    """Cosmos DB answered with an error status; message holds its code and message."""

    def __init__(self, method, url, status, body):
        self.status = status
        message = body.decode("utf-8", "replace")[:500]
        try:
            error = json.loads(body)
            message = "%s: %s" % (error.get("code", status), str(error.get("message", message)).split("\r\n")[0])
        except (ValueError, AttributeError):
            pass
        super().__init__("%s %s failed: HTTP %d %s" % (method, url, status, message))


def _table_names():
    raw = os.environ.get(TABLES_ENV, "").strip()
    if not raw:
        return {}
    try:
        tables = json.loads(raw)
    except ValueError as e:
        raise RuntimeError("%s is not JSON: %s" % (TABLES_ENV, e))
    if not isinstance(tables, dict):
        raise RuntimeError("%s must be a JSON object of table names, got %r" % (TABLES_ENV, raw))
    return {str(k): str(v) for k, v in tables.items()}


def _property(name):
    """c.name, or c["name"] when the name is not an identifier."""
    if name.isidentifier():
        return "c." + name
    return "c[%s]" % json.dumps(name)


class nosql:
    """SeBS's nosql interface over Cosmos DB's REST API; one shared instance per process."""

    instance = None
    _instance_lock = threading.Lock()

    def __init__(self, url=None, credential=None, database=None):
        url = url or os.environ.get(URL_ENV, "").strip()
        credential = credential or os.environ.get(KEY_ENV, "").strip()
        self._database = database or os.environ.get(DATABASE_ENV, "").strip()
        missing = [name for name, value in ((URL_ENV, url), (KEY_ENV, credential), (DATABASE_ENV, self._database))
                   if not value]
        if missing:
            raise RuntimeError("Cosmos DB is not configured for this function: %s not set" % ", ".join(missing))
        parts = urllib.parse.urlsplit(url)
        self._scheme, self._netloc = parts.scheme or "https", parts.netloc
        self._key = base64.b64decode(credential)
        self._context = None
        if self._scheme == "https" and os.environ.get(INSECURE_ENV, "").strip().lower() in ("1", "true", "yes"):
            self._context = ssl._create_unverified_context()
        self._tables = None
        self._local = threading.local()

    @staticmethod
    def get_instance(database=None, url=None, credential=None):
        """The shared instance (SeBS's wrapper passes database, url and credential; the environment else)."""
        if nosql.instance is None:
            with nosql._instance_lock:
                if nosql.instance is None:
                    nosql.instance = nosql(url, credential, database)
        return nosql.instance

    # ------------------------------------------------------------------------------------------- HTTP

    def _connection(self, fresh=False):
        connection = getattr(self._local, "connection", None)
        if fresh and connection is not None:
            connection.close()
            connection = None
        if connection is None:
            if self._scheme == "https":
                connection = http.client.HTTPSConnection(self._netloc, timeout=TIMEOUT, context=self._context)
            else:
                connection = http.client.HTTPConnection(self._netloc, timeout=TIMEOUT)
            self._local.connection = connection
        return connection

    def _authorization(self, verb, resource_type, resource_link, date):
        text = "%s\n%s\n%s\n%s\n\n" % (verb.lower(), resource_type.lower(), resource_link, date.lower())
        signature = base64.b64encode(hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).digest())
        return urllib.parse.quote("type=master&ver=1.0&sig=" + signature.decode("ascii"), safe="")

    def _send(self, method, path, data, headers):
        """(status, response, body): one request on the thread's connection, again on a fresh connection when a
        kept-alive one turns out closed."""
        for attempt in (0, 1):
            connection = self._connection(fresh=attempt > 0)
            try:
                connection.request(method, path, body=data, headers=headers)
                response = connection.getresponse()
                return response.status, response, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                    http.client.CannotSendRequest):
                connection.close()
                self._local.connection = None
                if attempt:
                    raise

    def _request(self, method, resource_type, resource_link, path, body=None, headers=None, expect=(200,)):
        """(status, response, JSON answer or None); an unexpected status raises CosmosError.

        Throttled requests (429, and 449 "retry with") are sent again after the wait Cosmos asks for
        (x-ms-retry-after-ms), as Microsoft's SDKs do: up to THROTTLE_RETRIES times or THROTTLE_WAIT seconds.
        """
        data = None if body is None else json.dumps(body).encode("utf-8")
        waited = 0.0
        for retry in range(THROTTLE_RETRIES + 1):
            date = email.utils.formatdate(usegmt=True)
            request_headers = dict(headers or {})
            request_headers.update({"x-ms-date": date, "x-ms-version": API_VERSION, "Accept": "application/json",
                                    "Authorization": self._authorization(method, resource_type, resource_link,
                                                                         date)})
            status, response, answer = self._send(method, path, data, request_headers)
            if status not in (429, 449) or status in expect or retry == THROTTLE_RETRIES:
                break
            try:
                wait = float(response.getheader("x-ms-retry-after-ms") or 100) / 1000.0
            except ValueError:
                wait = 0.1
            if waited + wait > THROTTLE_WAIT:
                break
            time.sleep(wait)
            waited += wait
        if status not in expect:
            raise CosmosError(method, "%s://%s%s" % (self._scheme, self._netloc, path), status, answer)
        return status, response, (json.loads(answer) if answer else None)

    def _container(self, table_name):
        """(resource link, URL path) of the table's container."""
        if self._tables is None:
            self._tables = _table_names()
        container = self._tables.get(table_name, table_name)
        link = "dbs/%s/colls/%s" % (self._database, container)
        return link, "/dbs/%s/colls/%s" % (urllib.parse.quote(self._database, safe=""),
                                             urllib.parse.quote(container, safe=""))

    @staticmethod
    def _partition_header(primary_key):
        return {"x-ms-documentdb-partitionkey": json.dumps([primary_key[1]])}

    @staticmethod
    def _id(primary_key, secondary_key):
        return str((primary_key if secondary_key is None else secondary_key)[1])

    def _document(self, table_name, primary_key, secondary_key):
        """(resource link, URL path) of the item's document."""
        link, path = self._container(table_name)
        doc_id = self._id(primary_key, secondary_key)
        return "%s/docs/%s" % (link, doc_id), "%s/docs/%s" % (path, urllib.parse.quote(doc_id, safe=""))

    @staticmethod
    def _item(document, primary_key_name, secondary_key_name):
        item = dict(document)
        doc_id = item.get("id")
        for name in SYSTEM_PROPERTIES:
            item.pop(name, None)
        if "id" not in (primary_key_name, secondary_key_name):
            item.pop("id", None)
        if secondary_key_name is not None and doc_id is not None:
            item.setdefault(secondary_key_name, doc_id)  # SeBS's own functions keep it only in id
        return item

    # ------------------------------------------------------------------------------------------- SeBS's interface

    def insert(self, table_name, primary_key, secondary_key, data):
        """Stores data with the key attributes added, replacing an item with the same keys (data itself is left
        unchanged)."""
        document = dict(data)
        document[primary_key[0]] = primary_key[1]
        if secondary_key is not None:
            document[secondary_key[0]] = secondary_key[1]
        document["id"] = self._id(primary_key, secondary_key)
        link, path = self._container(table_name)
        headers = {"Content-Type": "application/json", "x-ms-documentdb-is-upsert": "True"}
        headers.update(self._partition_header(primary_key))
        self._request("POST", "docs", link, path + "/docs", body=document, headers=headers, expect=(200, 201))

    def get(self, table_name, primary_key, secondary_key):
        """The item with these keys as a dict, or None when there is none."""
        link, path = self._document(table_name, primary_key, secondary_key)
        status, _, document = self._request("GET", "docs", link, path, headers=self._partition_header(primary_key),
                                            expect=(200, 404))
        if status == 404:
            return None
        item = self._item(document, primary_key[0], None if secondary_key is None else secondary_key[0])
        if secondary_key is not None:
            item[secondary_key[0]] = item.get(secondary_key[0], secondary_key[1])
        return item

    def update(self, table_name, primary_key, secondary_key, updates):
        """Sets the attributes in updates (a dict) on the item in one Patch request (as SeBS does), creating
        the item when it is missing."""
        if not updates:
            return
        link, path = self._document(table_name, primary_key, secondary_key)
        operations = [{"op": "add", "path": "/" + str(k).replace("~", "~0").replace("/", "~1"), "value": v}
                      for k, v in updates.items()]
        headers = {"Content-Type": "application/json_patch+json"}
        headers.update(self._partition_header(primary_key))
        status, _, _ = self._request("PATCH", "docs", link, path, body={"operations": operations}, headers=headers,
                                     expect=(200, 404))
        if status == 404:
            self.insert(table_name, primary_key, secondary_key, updates)

    def query(self, table_name, primary_key, secondary_key_name):
        """All items whose partition key equals primary_key, as a list of dicts (every page)."""
        link, path = self._container(table_name)
        body = {"query": "SELECT * FROM c WHERE %s = @value" % _property(primary_key[0]),
                "parameters": [{"name": "@value", "value": primary_key[1]}]}
        headers = {"Content-Type": "application/query+json", "x-ms-documentdb-isquery": "True",
                   "x-ms-documentdb-query-enablecrosspartition": "False", "x-ms-max-item-count": "1000"}
        headers.update(self._partition_header(primary_key))
        items = []
        while True:
            _, response, answer = self._request("POST", "docs", link, path + "/docs", body=body, headers=headers)
            for document in (answer or {}).get("Documents", ()):
                items.append(self._item(document, primary_key[0], secondary_key_name))
            continuation = response.getheader("x-ms-continuation")
            if not continuation:
                return items
            headers["x-ms-continuation"] = continuation

    def delete(self, table_name, primary_key, secondary_key):
        """Deletes the item with these keys (nothing happens when there is none)."""
        link, path = self._document(table_name, primary_key, secondary_key)
        self._request("DELETE", "docs", link, path, headers=self._partition_header(primary_key), expect=(204, 404))
