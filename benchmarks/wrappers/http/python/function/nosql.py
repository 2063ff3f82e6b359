"""sebs-junit local platform: NoSQL tables for Python benchmark functions (SeBS's nosql interface).

Benchmark code uses it as on any SeBS platform:

    from . import nosql
    client = nosql.nosql.get_instance()
    client.insert("shopping_cart", ("cart_id", "c1"), ("product_id", "p1"), {"price": 10})

Keys are (attribute name, value) tuples; the secondary (sort) key may be None for a table without one.
The platform runs a DynamoDB-API server and tells each function instance about it:
  SEBS_NOSQL_ENDPOINT   e.g. http://127.0.0.1:39212
  SEBS_NOSQL_TABLES     JSON object: the benchmark's table names -> the physical table names
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION / AWS_DEFAULT_REGION (default us-east-1)

On AWS Lambda (AWS_LAMBDA_FUNCTION_NAME is set) SEBS_NOSQL_ENDPOINT is optional: without it the client
uses the SDK's defaults, i.e. DynamoDB of the function's region with the execution role's credentials.

Values come back as plain JSON-friendly Python: DynamoDB numbers (Decimal) become int or float, sets
become sorted lists, binary values bytes. Floats going in are stored as the DynamoDB number of their
shortest repr (boto3 itself refuses Python floats).

boto3 is imported and the client built on first use, so that cost is paid by the first request that
touches a table, not by the import of this module. The framework adds boto3 to the function's
environment when config.json lists "nosql" in "modules".
"""

import json
import math
import os
import threading
from decimal import Decimal

ENDPOINT_ENV = "SEBS_NOSQL_ENDPOINT"
TABLES_ENV = "SEBS_NOSQL_TABLES"
DEFAULT_REGION = "us-east-1"


def _region():
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return DEFAULT_REGION


def _new_dynamodb_resource():
    endpoint = os.environ.get(ENDPOINT_ENV, "").strip()
    if not endpoint and not os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        raise RuntimeError("%s is not set: this function instance has no NoSQL storage (does the "
                           "benchmark's config.json list \"nosql\" in \"modules\"?)" % ENDPOINT_ENV)
    try:
        import boto3
    except ImportError as e:
        raise RuntimeError("boto3 is not installed in the function's environment (%s); the framework "
                           "adds it when config.json lists \"nosql\" in \"modules\"" % e)
    kwargs = {}
    key_id = os.environ.get("AWS_ACCESS_KEY_ID")
    secret = os.environ.get("AWS_SECRET_ACCESS_KEY")
    if key_id and secret:
        kwargs.update(aws_access_key_id=key_id, aws_secret_access_key=secret,
                      aws_session_token=os.environ.get("AWS_SESSION_TOKEN") or None)
    if endpoint:
        kwargs["endpoint_url"] = endpoint
    return boto3.session.Session().resource("dynamodb", region_name=_region(), **kwargs)


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


def _to_dynamodb(value):
    """Python values -> what boto3's serializer accepts (floats become Decimal, tuples lists)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError("DynamoDB cannot store the number %r" % value)
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _to_dynamodb(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_dynamodb(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {_to_dynamodb(v) for v in value}
    return value


def _from_dynamodb(value):
    """boto3's deserialized values -> plain JSON-friendly Python (Decimal -> int or float, ...)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, dict):
        return {k: _from_dynamodb(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamodb(v) for v in value]
    if isinstance(value, (set, frozenset)):
        items = [_from_dynamodb(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return items
    value_attr = getattr(value, "value", None)  # boto3.dynamodb.types.Binary
    if isinstance(value_attr, bytes):
        return value_attr
    return value


def _key(primary_key, secondary_key):
    key = {primary_key[0]: _to_dynamodb(primary_key[1])}
    if secondary_key is not None:
        key[secondary_key[0]] = _to_dynamodb(secondary_key[1])
    return key


class nosql:
    """SeBS's nosql interface over the platform's DynamoDB-API server; one shared instance per process."""

    instance = None
    _instance_lock = threading.Lock()

    def __init__(self):
        self._resource = None
        self._tables = {}
        self._lock = threading.Lock()

    @staticmethod
    def get_instance():
        if nosql.instance is None:
            with nosql._instance_lock:
                if nosql.instance is None:
                    nosql.instance = nosql()
        return nosql.instance

    @property
    def client(self):
        """The boto3 DynamoDB service resource, created (and boto3 imported) on first use."""
        if self._resource is None:
            with self._lock:
                if self._resource is None:
                    self._resource = _new_dynamodb_resource()
        return self._resource

    def _get_table(self, table_name):
        table = self._tables.get(table_name)
        if table is None:
            names = _table_names()
            if table_name not in names:
                known = ", ".join(sorted(names)) if names else "none: %s is empty or not set" % TABLES_ENV
                raise RuntimeError("unknown NoSQL table %r; known tables: %s" % (table_name, known))
            table = self.client.Table(names[table_name])
            self._tables[table_name] = table
        return table

    def insert(self, table_name, primary_key, secondary_key, data):
        """Stores data with the key attributes added (data itself is left unchanged)."""
        item = dict(data)
        item.update(_key(primary_key, secondary_key))
        self._get_table(table_name).put_item(Item=_to_dynamodb(item))

    def get(self, table_name, primary_key, secondary_key):
        """The item with these keys as a dict, or None when there is none."""
        response = self._get_table(table_name).get_item(Key=_key(primary_key, secondary_key))
        item = response.get("Item")
        return None if item is None else _from_dynamodb(item)

    def update(self, table_name, primary_key, secondary_key, updates):
        """Sets the attributes in updates (a dict) on the item, creating the item if it is missing."""
        if not updates:
            return
        names, values, assignments = {}, {}, []
        for i, (name, value) in enumerate(updates.items()):
            names["#a%d" % i] = name
            values[":v%d" % i] = _to_dynamodb(value)
            assignments.append("#a%d = :v%d" % (i, i))
        self._get_table(table_name).update_item(
            Key=_key(primary_key, secondary_key),
            UpdateExpression="SET " + ", ".join(assignments),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def query(self, table_name, primary_key, secondary_key_name):
        """All items whose partition key equals primary_key, as a list of dicts (all pages).

        secondary_key_name is accepted for SeBS compatibility; DynamoDB knows the table's sort key.
        """
        table = self._get_table(table_name)
        request = {
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": primary_key[0]},
            "ExpressionAttributeValues": {":pk": _to_dynamodb(primary_key[1])},
        }
        items = []
        while True:
            response = table.query(**request)
            items.extend(_from_dynamodb(item) for item in response.get("Items", ()))
            last = response.get("LastEvaluatedKey")
            if not last:
                return items
            request["ExclusiveStartKey"] = last

    def delete(self, table_name, primary_key, secondary_key):
        """Deletes the item with these keys (nothing happens when there is none)."""
        self._get_table(table_name).delete_item(Key=_key(primary_key, secondary_key))
