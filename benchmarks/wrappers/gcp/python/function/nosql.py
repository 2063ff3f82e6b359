"""sebs-junit gcp platform: NoSQL tables for Python benchmark functions (SeBS's nosql interface).

Benchmark code uses it as on any SeBS platform:

    from . import nosql
    client = nosql.nosql.get_instance()
    client.insert("shopping_cart", ("cart_id", "c1"), ("product_id", "p1"), {"price": 10})

Keys are (attribute name, value) tuples; the secondary (sort) key may be None for a table without one.

Firestore in Datastore mode through its REST API (v1: lookup, commit, runQuery, beginTransaction), spoken
with the Python standard library only. Tables map to Datastore as SeBS's GCP functions map them, so the
entities are the same whoever writes them:
  - a table is a kind: the physical name from SEBS_NOSQL_TABLES (JSON: the benchmark's table names -> kinds);
  - an item's key is (kind, secondary value) under the parent (primary key name, primary value), so a
    partition is an entity group that an ancestor query reads; without a secondary key it is (kind, primary
    value). String values are key names, integers key ids.
The key attributes are stored as properties too (indexed); other properties are not indexed (only keys are
queried, and Datastore limits indexed strings to 1500 bytes). Items come back as plain dicts with the key
attributes.

Where it goes:
  DATASTORE_EMULATOR_HOST   host:port of an endpoint override, Google's convention (plain HTTP);
                            SEBS_NOSQL_ENDPOINT (a URL) is accepted likewise
  otherwise                 https://datastore.googleapis.com with the service account's access token from the
                            metadata server (GCE_METADATA_HOST, default metadata.google.internal)
  GOOGLE_CLOUD_PROJECT      the project (else DATASTORE_PROJECT_ID, else the metadata server's)
  SEBS_NOSQL_DATABASE       the Firestore database id ("(default)" when unset)
With an override, requests carry a token only when GCE_METADATA_HOST is set explicitly (a stand-in that
checks tokens); emulators take none.
"""

import base64
import http.client
import json
import math
import os
import threading
import time
import urllib.parse

EMULATOR_ENV = "DATASTORE_EMULATOR_HOST"
ENDPOINT_ENV = "SEBS_NOSQL_ENDPOINT"
TABLES_ENV = "SEBS_NOSQL_TABLES"
DATABASE_ENV = "SEBS_NOSQL_DATABASE"
DEFAULT_DATABASE = "(default)"
GOOGLE_BASE = "https://datastore.googleapis.com"
METADATA = "/computeMetadata/v1/"
TIMEOUT = 60


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


def _metadata(path):
    host = os.environ.get("GCE_METADATA_HOST", "").strip() or "metadata.google.internal"
    connection = http.client.HTTPConnection(host, timeout=10)
    try:
        connection.request("GET", METADATA + path, headers={"Metadata-Flavor": "Google"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise GoogleApiError("GET", "http://%s%s%s" % (host, METADATA, path), response.status, body)
    return body


class _Token:
    """The metadata server's access token, fetched on first use and again shortly before it expires."""

    def __init__(self):
        self._value = None
        self._expires = 0.0
        self._lock = threading.Lock()

    def header(self):
        with self._lock:
            if self._value is None or time.time() > self._expires - 60:
                token = json.loads(_metadata("instance/service-accounts/default/token"))
                self._value = "%s %s" % (token.get("token_type", "Bearer"), token["access_token"])
                self._expires = time.time() + float(token.get("expires_in", 300))
            return self._value


def _endpoint():
    """(base URL, whether it is an override)."""
    for name in (EMULATOR_ENV, ENDPOINT_ENV):
        value = os.environ.get(name, "").strip()
        if value:
            if "://" not in value:
                value = "http://" + value
            return value.rstrip("/"), True
    return GOOGLE_BASE, False


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


# ----------------------------------------------------------------------------------------------- values


def _to_value(value, indexed=False):
    """A Python value -> a Datastore REST Value (JSON)."""
    if value is None:
        out = {"nullValue": None}
    elif isinstance(value, bool):
        out = {"booleanValue": value}
    elif isinstance(value, int):
        out = {"integerValue": str(value)}
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            out = {"doubleValue": "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")}
        else:
            out = {"doubleValue": value}
    elif isinstance(value, str):
        out = {"stringValue": value}
    elif isinstance(value, (bytes, bytearray, memoryview)):
        out = {"blobValue": base64.b64encode(bytes(value)).decode("ascii")}
    elif isinstance(value, dict):
        return {"entityValue": {"properties": {str(k): _to_value(v, indexed) for k, v in value.items()}},
                "excludeFromIndexes": not indexed}
    elif isinstance(value, (list, tuple, set, frozenset)):
        # exclusion belongs on an array's values, never on the array
        return {"arrayValue": {"values": [_to_value(v, indexed) for v in value]}}
    else:
        raise TypeError("cannot store a %s in a Datastore entity: use str, int, float, bool, bytes, None, "
                        "lists or dicts" % type(value).__name__)
    if not indexed:
        out["excludeFromIndexes"] = True
    return out


def _from_value(value):
    """A Datastore REST Value (JSON) -> plain Python."""
    if "stringValue" in value:
        return value["stringValue"]
    if "integerValue" in value:
        return int(value["integerValue"])
    if "doubleValue" in value:
        return float(value["doubleValue"])
    if "booleanValue" in value:
        return value["booleanValue"]
    if "nullValue" in value:
        return None
    if "blobValue" in value:
        return base64.b64decode(value["blobValue"])
    if "entityValue" in value:
        return _from_properties(value["entityValue"].get("properties", {}))
    if "arrayValue" in value:
        return [_from_value(v) for v in value["arrayValue"].get("values", ())]
    if "keyValue" in value:
        return _id_of(value["keyValue"]["path"][-1])
    if "timestampValue" in value:
        return value["timestampValue"]
    if "geoPointValue" in value:
        return value["geoPointValue"]
    return None


def _from_properties(properties):
    return {name: _from_value(v) for name, v in properties.items()}


def _id_of(element):
    return int(element["id"]) if "id" in element else element.get("name")


def _path_element(kind, value):
    element = {"kind": kind}
    if isinstance(value, int) and not isinstance(value, bool):
        element["id"] = str(value)
    else:
        element["name"] = str(value)
    return element


class nosql:
    """SeBS's nosql interface over Datastore's REST API; one shared instance per process."""

    instance = None
    _instance_lock = threading.Lock()

    def __init__(self, database=None):
        self._base, override = _endpoint()
        self._authorized = not override or bool(os.environ.get("GCE_METADATA_HOST", "").strip())
        self._token = _Token()
        self._project = None
        self._database = (database or os.environ.get(DATABASE_ENV, "").strip() or DEFAULT_DATABASE)
        self._tables = {}
        self._local = threading.local()

    @staticmethod
    def get_instance(database=None):
        """The shared instance (database: SeBS's GCP functions pass one; SEBS_NOSQL_DATABASE otherwise)."""
        if nosql.instance is None:
            with nosql._instance_lock:
                if nosql.instance is None:
                    nosql.instance = nosql(database)
        return nosql.instance

    # ------------------------------------------------------------------------------------------- HTTP

    def project(self):
        if self._project is None:
            project = (os.environ.get("GOOGLE_CLOUD_PROJECT", "").strip()
                       or os.environ.get("DATASTORE_PROJECT_ID", "").strip())
            self._project = project or _metadata("project/project-id").decode().strip()
        return self._project

    def _connection(self, fresh=False):
        parts = urllib.parse.urlsplit(self._base)
        connection = getattr(self._local, "connection", None)
        if fresh and connection is not None:
            connection.close()
            connection = None
        if connection is None:
            cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            connection = self._local.connection = cls(parts.netloc, timeout=TIMEOUT)
        return connection

    def _call(self, method, body):
        """POSTs a JSON request to projects/{project}:{method}; returns the JSON answer."""
        path = "/v1/projects/%s:%s" % (urllib.parse.quote(self.project(), safe=""), method)
        if self._database != DEFAULT_DATABASE:
            body["databaseId"] = self._database
        params = "project_id=%s" % urllib.parse.quote(self.project(), safe="")
        if self._database != DEFAULT_DATABASE:
            params += "&database_id=%s" % urllib.parse.quote(self._database, safe="")
        headers = {"Content-Type": "application/json", "x-goog-request-params": params}
        if self._authorized:
            headers["Authorization"] = self._token.header()
        data = json.dumps(body).encode("utf-8")
        for attempt in (0, 1):
            connection = self._connection(fresh=attempt > 0)
            try:
                connection.request("POST", urllib.parse.urlsplit(self._base).path + path, body=data,
                                   headers=headers)
                response = connection.getresponse()
                answer = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                    http.client.CannotSendRequest):
                connection.close()
                self._local.connection = None
                if attempt:
                    raise
        if response.status != 200:
            error = GoogleApiError("POST", self._base + path, response.status, answer)
            if response.status == 404:
                raise RuntimeError("%s (is the Firestore database %r in Datastore mode created in project %s? "
                                   "SEBS_NOSQL_DATABASE names it)" % (error, self._database, self.project()))
            raise error
        return json.loads(answer) if answer else {}

    def _partition(self):
        partition = {"projectId": self.project()}
        if self._database != DEFAULT_DATABASE:
            partition["databaseId"] = self._database
        return partition

    def _kind(self, table_name):
        kind = self._tables.get(table_name)
        if kind is None:
            names = _table_names()
            if table_name not in names:
                known = ", ".join(sorted(names)) if names else "none: %s is empty or not set" % TABLES_ENV
                raise RuntimeError("unknown NoSQL table %r; known tables: %s" % (table_name, known))
            kind = self._tables[table_name] = names[table_name]
        return kind

    def _key(self, table_name, primary_key, secondary_key):
        kind = self._kind(table_name)
        if secondary_key is None:
            path = [_path_element(kind, primary_key[1])]
        else:
            path = [_path_element(primary_key[0], primary_key[1]), _path_element(kind, secondary_key[1])]
        return {"partitionId": self._partition(), "path": path}

    def _entity(self, key, primary_key, secondary_key, data):
        properties = {str(k): _to_value(v) for k, v in data.items()}
        properties[primary_key[0]] = _to_value(primary_key[1], indexed=True)
        if secondary_key is not None:
            properties[secondary_key[0]] = _to_value(secondary_key[1], indexed=True)
        return {"key": key, "properties": properties}

    @staticmethod
    def _item(entity, primary_key, secondary_key_name):
        item = _from_properties(entity.get("properties", {}))
        item.setdefault(primary_key[0], primary_key[1])
        if secondary_key_name is not None:  # as SeBS's GCP module: the key's name/id is the sort key
            item.setdefault(secondary_key_name, _id_of(entity["key"]["path"][-1]))
        return item

    def _lookup(self, key, transaction=None):
        request = {"keys": [key]}
        if transaction is not None:
            request["readOptions"] = {"transaction": transaction}
        else:
            request["readOptions"] = {"readConsistency": "STRONG"}
        found = self._call("lookup", request).get("found", ())
        return found[0]["entity"] if found else None

    def _commit(self, mutations, transaction=None):
        request = {"mutations": mutations}
        if transaction is None:
            request["mode"] = "NON_TRANSACTIONAL"
        else:
            request["mode"] = "TRANSACTIONAL"
            request["transaction"] = transaction
        self._call("commit", request)

    # ------------------------------------------------------------------------------------------- SeBS's interface

    def insert(self, table_name, primary_key, secondary_key, data):
        """Stores data with the key attributes added (data itself is left unchanged)."""
        key = self._key(table_name, primary_key, secondary_key)
        self._commit([{"upsert": self._entity(key, primary_key, secondary_key, data)}])

    def get(self, table_name, primary_key, secondary_key):
        """The item with these keys as a dict, or None when there is none."""
        entity = self._lookup(self._key(table_name, primary_key, secondary_key))
        if entity is None:
            return None
        return self._item(entity, primary_key, None if secondary_key is None else secondary_key[0])

    def update(self, table_name, primary_key, secondary_key, updates):
        """Sets the attributes in updates (a dict) on the item, creating the item if it is missing; read and
        write in one transaction."""
        if not updates:
            return
        key = self._key(table_name, primary_key, secondary_key)
        transaction = self._call("beginTransaction", {"transactionOptions": {"readWrite": {}}})["transaction"]
        try:
            entity = self._lookup(key, transaction)
            item = {} if entity is None else _from_properties(entity.get("properties", {}))
            item.update(updates)
            self._commit([{"upsert": self._entity(key, primary_key, secondary_key, item)}], transaction)
        except BaseException:
            try:
                self._call("rollback", {"transaction": transaction})
            except Exception:  # the original failure matters more
                pass
            raise

    def query(self, table_name, primary_key, secondary_key_name):
        """All items whose partition key equals primary_key, as a list of dicts (all batches), in key order."""
        if secondary_key_name is None:  # a table without a sort key: at most one item
            item = self.get(table_name, primary_key, None)
            return [] if item is None else [item]
        ancestor = {"partitionId": self._partition(), "path": [_path_element(primary_key[0], primary_key[1])]}
        query = {
            "kind": [{"name": self._kind(table_name)}],
            "filter": {"propertyFilter": {"property": {"name": "__key__"}, "op": "HAS_ANCESTOR",
                                          "value": {"keyValue": ancestor}}},
        }
        items = []
        while True:
            batch = self._call("runQuery", {"partitionId": self._partition(), "query": query,
                                            "readOptions": {"readConsistency": "STRONG"}})["batch"]
            for result in batch.get("entityResults", ()):
                items.append(self._item(result["entity"], primary_key, secondary_key_name))
            if batch.get("moreResults") != "NOT_FINISHED" or not batch.get("endCursor"):
                return items
            query["startCursor"] = batch["endCursor"]

    def delete(self, table_name, primary_key, secondary_key):
        """Deletes the item with these keys (nothing happens when there is none)."""
        self._commit([{"delete": self._key(table_name, primary_key, secondary_key)}])
