"""sebs-junit AWS Lambda wrapper for a Python benchmark function (handler: handler.handler).

The package root holds this file, function/function.py (defines handler(event)) and the function's
dependencies. Every answer follows the function contract the other platforms' wrappers follow:
begin/end/income_timestamp (epoch seconds, six fractional digits), is_cold, container_id,
request_id (Lambda's request id), result{output[, measurement]}; a raised exception becomes
error/traceback in a normal answer, so the client records a failed invocation with the reason instead
of an opaque Unhandled error.

Cold detection: a marker in /tmp, which lives exactly as long as the execution environment; it is
checked before the id is created, so the first request of an environment is the cold one.
Events from a Function URL or API Gateway (a "body" with "requestContext") are unwrapped.

Workflow mode (SEBS_WORKFLOW_FUNCTION=<func_name>: one function of a SeBS-Flow workflow that AWS Step
Functions runs): the event is {"payload": ..., "request_id": <the workflow run's id>, "state": <the
SeBS-Flow state>}. The wrapper loads function/<func_name>.py, calls its handler with the payload (plus
"request-id", Lambda's request id, when the payload is a dict), and returns the handler's return value as
it is: that is the next state's payload. A failing function RAISES its own exception, so Lambda reports
errorType = its class and errorMessage = its message and the state machine's Catch (a failure transition)
sees it. After taking the end time, the wrapper writes one record of the execution, {workflow, request_id,
func, state, start, end (epoch microseconds), is_cold, container_id[, error]}, to the DynamoDB table
SEBS_WORKFLOW_RECORDS (partition key workflow = the run's request id, sort key request_id = Lambda's), with
a PutItem signed with the execution role's credentials (standard library only: no SDK import on the
cold path); SEBS_WORKFLOW_RECORDS_ENDPOINT replaces DynamoDB's regional endpoint (a test's stand-in). A
record that cannot be written is reported on stderr and the function's result is returned all the same.
"""

import base64
import hashlib
import hmac
import http.client
import importlib
import json
import os
import sys
import time
import traceback
import urllib.parse
import uuid

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
COLD_MARKER = os.path.join(os.environ.get("SEBS_TMP", "/tmp"), ".sebs-cold-marker")

if PACKAGE_DIR not in sys.path:
    sys.path.insert(0, PACKAGE_DIR)

_function_module = None


# Files the wrappers ship into function/ beside the benchmark's code: never "the user's frame".
WRAPPER_MODULES = ("storage.py", "nosql.py", "redis.py")


def user_frame(tb):
    """Where the benchmark's own code failed: the innermost frame of a file under function/ that is the
    benchmark's (not a wrapper module, not an installed package), as "function.py:12 in handler"; None
    when the failure never passed through it. Kept identical in the http and aws wrappers."""
    function_dir = os.path.join(PACKAGE_DIR, "function")
    for frame in reversed(traceback.extract_tb(tb)):
        path = os.path.abspath(frame.filename)
        if not path.startswith(function_dir + os.sep) or os.path.basename(path) in WRAPPER_MODULES \
                or "site-packages" in path or os.sep + "node_modules" + os.sep in path:
            continue
        return "%s:%d in %s" % (os.path.relpath(path, function_dir), frame.lineno, frame.name)
    return None


def describe_error(e):
    """The error line of a failed invocation: "Type: message (at function.py:12 in handler)"."""
    where = user_frame(e.__traceback__)
    return "%s: %s%s" % (type(e).__name__, e, " (at %s)" % where if where else "")


def _fmt(ns):
    seconds, micros = divmod(ns // 1000, 1_000_000)
    return "%d.%06d" % (seconds, micros)


def _cold_start():
    if os.path.exists(COLD_MARKER):
        with open(COLD_MARKER) as f:
            return False, f.read().strip()
    container_id = uuid.uuid4().hex
    with open(COLD_MARKER, "w") as f:
        f.write(container_id)
    return True, container_id


def _unwrap(event):
    if isinstance(event, dict) and "requestContext" in event and "body" in event:
        body = event.get("body") or "{}"
        if event.get("isBase64Encoded"):
            body = base64.b64decode(body).decode("utf-8")
        return json.loads(body)
    return event


def handler(event, context):
    global _function_module
    if WORKFLOW_FUNCTION:
        return _workflow_handler(event, context)
    income = time.time_ns()
    is_cold, container_id = _cold_start()
    answer = {"income_timestamp": _fmt(income), "is_cold": is_cold, "container_id": container_id,
              "request_id": getattr(context, "aws_request_id", "")}
    begin = time.time_ns()
    try:
        if _function_module is None:
            from function import function as module

            _function_module = module
        ret = _function_module.handler(_unwrap(event))
    except Exception as e:  # noqa: every failure of the function is reported, not raised
        answer.update(begin=_fmt(begin), end=_fmt(time.time_ns()), error=describe_error(e),
                      traceback=traceback.format_exc())
        return answer
    end = time.time_ns()
    if isinstance(ret, dict) and "result" in ret:
        result = {"output": ret["result"]}
        if ret.get("measurement") is not None:
            result["measurement"] = ret["measurement"]
    else:
        result = {"output": ret}
    answer.update(begin=_fmt(begin), end=_fmt(end), result=result)
    try:
        json.dumps(answer, allow_nan=False)
    except (TypeError, ValueError) as e:
        del answer["result"]
        answer.update(error="%s: function result is not JSON-serializable: %s" % (type(e).__name__, e))
    return answer


# ---------------------------------------------------------------- workflow mode (Step Functions)

WORKFLOW_FUNCTION = os.environ.get("SEBS_WORKFLOW_FUNCTION", "").strip()
RECORDS_TABLE = os.environ.get("SEBS_WORKFLOW_RECORDS", "").strip()
_workflow_module = None
_records_connection = None


def _workflow_handler(event, context):
    global _workflow_module
    is_cold, container_id = _cold_start()
    request_id = getattr(context, "aws_request_id", "")
    if isinstance(event, dict) and "payload" in event:
        payload, workflow_id, state = event["payload"], event.get("request_id"), event.get("state")
    else:  # invoked on its own, not by the state machine: the whole event is the payload
        payload, workflow_id, state = event, None, None
    if isinstance(payload, dict):
        payload = dict(payload)
        payload["request-id"] = request_id
    begin = time.time_ns()
    try:
        if _workflow_module is None:
            if PACKAGE_DIR not in sys.path:
                sys.path.insert(0, PACKAGE_DIR)
            _workflow_module = importlib.import_module("function." + WORKFLOW_FUNCTION)
        result = _workflow_module.handler(payload)
    except Exception as e:
        _record(workflow_id, request_id, state, begin, time.time_ns(), is_cold, container_id, describe_error(e))
        raise
    end = time.time_ns()
    try:
        json.dumps(result, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as e:
        failure = TypeError("function result is not JSON-serializable: %s" % e)
        _record(workflow_id, request_id, state, begin, end, is_cold, container_id, describe_error(failure))
        raise failure from e
    _record(workflow_id, request_id, state, begin, end, is_cold, container_id, None)
    return result


def _record(workflow_id, request_id, state, begin_ns, end_ns, is_cold, container_id, error):
    """Writes the execution's record; never raises (a lost record is reported, the result is not)."""
    if not RECORDS_TABLE or workflow_id is None:
        return
    item = {"workflow": {"S": str(workflow_id)}, "request_id": {"S": request_id},
            "func": {"S": WORKFLOW_FUNCTION}, "start": {"N": str(begin_ns // 1000)},
            "end": {"N": str(end_ns // 1000)}, "is_cold": {"BOOL": is_cold},
            "container_id": {"S": container_id}}
    if state:
        item["state"] = {"S": str(state)}
    if error is not None:
        item["error"] = {"S": error}
    body = json.dumps({"TableName": RECORDS_TABLE, "Item": item}).encode("utf-8")
    try:
        status, answer = _dynamodb("DynamoDB_20120810.PutItem", body)
        if status != 200:
            raise RuntimeError("HTTP %d: %s" % (status, answer[:300]))
    except Exception as e:  # noqa: the workflow goes on without this record
        sys.stderr.write("sebs wrapper: cannot record the execution in %s: %s\n" % (RECORDS_TABLE, e))


def _dynamodb(target, body):
    """One DynamoDB API call, signed with Signature Version 4 from the environment's credentials."""
    global _records_connection
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    endpoint = os.environ.get("SEBS_WORKFLOW_RECORDS_ENDPOINT", "").strip() \
        or "https://dynamodb.%s.amazonaws.com" % region
    url = urllib.parse.urlsplit(endpoint)
    now = time.gmtime()
    amz_date = time.strftime("%Y%m%dT%H%M%SZ", now)
    day = amz_date[:8]
    headers = {"content-type": "application/x-amz-json-1.0", "host": url.netloc, "x-amz-date": amz_date,
               "x-amz-target": target}
    token = os.environ.get("AWS_SESSION_TOKEN")
    if token:
        headers["x-amz-security-token"] = token
    names = sorted(headers)
    path = url.path or "/"
    canonical = "\n".join(["POST", path, "", "".join("%s:%s\n" % (n, headers[n]) for n in names),
                           ";".join(names), hashlib.sha256(body).hexdigest()])
    scope = "%s/%s/dynamodb/aws4_request" % (day, region)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = ("AWS4" + os.environ.get("AWS_SECRET_ACCESS_KEY", "")).encode("utf-8")
    for part in (day, region, "dynamodb", "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    headers["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        os.environ.get("AWS_ACCESS_KEY_ID", ""), scope, ";".join(names), signature)
    for attempt in (1, 2):  # a kept-alive connection the server has closed: once more on a new one
        if _records_connection is None:
            connection_type = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
            _records_connection = connection_type(url.netloc, timeout=10)
        try:
            _records_connection.request("POST", path, body=body, headers=headers)
            response = _records_connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        except (http.client.HTTPException, OSError):
            _records_connection.close()
            _records_connection = None
            if attempt == 2:
                raise
