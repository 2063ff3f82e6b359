"""sebs-junit Google Cloud Functions (2nd gen) wrapper for a Python benchmark function (entry point: handler).

The source root holds this file (main.py, where the Python runtime looks for the entry point),
function/function.py (defines handler(event)) and requirements.txt. The Functions Framework calls
handler(request) with a Flask request whose body is the benchmark's event as JSON; the answer follows the
function contract every sebs-junit wrapper follows: begin/end/income_timestamp (epoch seconds, six
fractional digits), is_cold, container_id, request_id, result{output[, measurement]}, and on the cold
request init_begin (when this instance's process started, so the platform can report the init time).
A raised exception becomes error/traceback in a normal 200 answer, so the client records a failed
invocation with its reason instead of the framework's opaque 500; a body that is not JSON gets 400.

An instance is one process (Cloud Run functions start a new one per instance), so the cold request is
simply the first one this process serves and the container id is made once per process.
request_id: the trace id of X-Cloud-Trace-Context (TRACE_ID/SPAN_ID;o=1), else Function-Execution-Id,
else a fresh uuid.

Workflow mode (SEBS_WORKFLOW_FUNCTION=<func_name>: one function of a SeBS-Flow workflow that Google
Workflows runs): the body is {"payload": ..., "request_id": <the workflow run's id>, "state": <the SeBS-Flow
state>}. The wrapper loads function/<func_name>.py, calls its handler with the payload (plus "request-id", a
fresh id of this execution, when the payload is a dict) and answers the handler's return value as JSON (200);
a raised exception answers HTTP 500 with {"error": <type>, "message": <message>, "at": <where>}, which
Google Workflows raises as an HttpError whose body the workflow's try/except reads. Either way one record
{workflow, request_id, func, state, start, end (epoch microseconds), is_cold, container_id[, error]} is
written to Datastore (kind SEBS_WORKFLOW_RECORDS, key workflow/<run id> > kind/<request id>, database
SEBS_NOSQL_DATABASE or "(default)") with a non-transactional commit over Datastore's REST API (standard
library only), at DATASTORE_EMULATOR_HOST when set, authorised with the metadata server's token on Google
Cloud. A record that cannot be written is reported on stderr; the function's answer is sent all the same.
"""

import json
import os
import sys
import time
import traceback
import uuid


def _process_start_ns():
    """Epoch nanoseconds when this process started: now minus its age from /proc (uptime and the
    process's start in clock ticks since boot, both at 10 ms resolution); the import time of this module
    where /proc cannot tell (the instance then looks as if its init began here)."""
    try:
        with open("/proc/self/stat") as f:
            stat = f.read()
        # the command name (field 2) may hold spaces and parentheses: count fields after the last ")"
        start_ticks = int(stat[stat.rindex(")") + 2:].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        age = uptime - start_ticks / os.sysconf("SC_CLK_TCK")
        now = time.time_ns()
        return now - int(max(age, 0.0) * 1e9)
    except (OSError, ValueError, IndexError):
        return time.time_ns()


INIT_BEGIN_NS = _process_start_ns()
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
CONTAINER_ID = uuid.uuid4().hex
JSON_HEADERS = {"Content-Type": "application/json"}

if PACKAGE_DIR not in sys.path:
    sys.path.insert(0, PACKAGE_DIR)

_function_module = None
_served = False

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


def _request_id(headers):
    trace = (headers.get("X-Cloud-Trace-Context") or "").strip()
    if trace:
        trace_id = trace.split("/", 1)[0].strip()
        if trace_id:
            return trace_id
    execution = (headers.get("Function-Execution-Id") or "").strip()
    return execution or uuid.uuid4().hex


def handler(request):
    global _function_module, _served
    income = time.time_ns()
    # force: the event is JSON whatever Content-Type the client sent; silent: None instead of Flask's 400 page
    event = request.get_json(force=True, silent=True)
    if event is None:
        return (json.dumps({"error": "the request body is not a JSON event"}), 400, JSON_HEADERS)
    if WORKFLOW_FUNCTION:
        return _workflow_handler(event)
    is_cold = not _served
    _served = True
    answer = {"income_timestamp": _fmt(income), "is_cold": is_cold, "container_id": CONTAINER_ID,
              "request_id": _request_id(request.headers)}
    if is_cold:
        answer["init_begin"] = _fmt(INIT_BEGIN_NS)
    begin = time.time_ns()
    try:
        if _function_module is None:
            from function import function as module

            _function_module = module
        ret = _function_module.handler(event)
    except Exception as e:  # noqa: every failure of the function is reported, not raised
        answer.update(begin=_fmt(begin), end=_fmt(time.time_ns()), error=describe_error(e),
                      traceback=traceback.format_exc())
        return (json.dumps(answer), 200, JSON_HEADERS)
    end = time.time_ns()
    if isinstance(ret, dict) and "result" in ret:
        result = {"output": ret["result"]}
        if ret.get("measurement") is not None:
            result["measurement"] = ret["measurement"]
    else:
        result = {"output": ret}
    answer.update(begin=_fmt(begin), end=_fmt(end), result=result)
    try:
        body = json.dumps(answer, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as e:
        del answer["result"]
        answer.update(error="%s: function result is not JSON-serializable: %s" % (type(e).__name__, e))
        body = json.dumps(answer)
    return (body, 200, JSON_HEADERS)


# ------------------------------------------------------------------------------------------ workflow mode

WORKFLOW_FUNCTION = os.environ.get("SEBS_WORKFLOW_FUNCTION", "").strip()
RECORDS_KIND = os.environ.get("SEBS_WORKFLOW_RECORDS", "").strip()
_workflow_module = None
_records_token = [None, 0.0]


def _workflow_handler(event):
    """One execution of a workflow function (see the module comment)."""
    global _workflow_module, _served
    is_cold = not _served
    _served = True
    if isinstance(event, dict) and "payload" in event:
        payload = event["payload"]
        workflow_id = str(event.get("request_id") or "")
        state = str(event.get("state") or "")
    else:
        payload, workflow_id, state = event, "", ""
    request_id = uuid.uuid4().hex
    if isinstance(payload, dict):
        payload = dict(payload)
        payload["request-id"] = request_id
    begin = time.time_ns()
    try:
        if _workflow_module is None:
            import importlib

            _workflow_module = importlib.import_module("function." + WORKFLOW_FUNCTION)
        result = _workflow_module.handler(payload)
        body = json.dumps(result, allow_nan=False)
    except Exception as e:  # noqa: the workflow's try/except gets it as an HttpError
        end = time.time_ns()
        _record(workflow_id, request_id, state, begin, end, is_cold, describe_error(e))
        error = {"error": type(e).__name__, "message": str(e)}
        where = user_frame(e.__traceback__)
        if where:
            error["at"] = where
        return (json.dumps(error), 500, JSON_HEADERS)
    end = time.time_ns()
    _record(workflow_id, request_id, state, begin, end, is_cold, None)
    return (body, 200, JSON_HEADERS)


def _records_token_header():
    import http.client

    if _records_token[0] is None or time.time() > _records_token[1] - 60:
        host = os.environ.get("GCE_METADATA_HOST", "").strip() or "metadata.google.internal"
        connection = http.client.HTTPConnection(host, timeout=10)
        try:
            connection.request("GET", "/computeMetadata/v1/instance/service-accounts/default/token",
                               headers={"Metadata-Flavor": "Google"})
            response = connection.getresponse()
            token = json.loads(response.read())
        finally:
            connection.close()
        _records_token[0] = "%s %s" % (token.get("token_type", "Bearer"), token["access_token"])
        _records_token[1] = time.time() + float(token.get("expires_in", 300))
    return _records_token[0]


def _record(workflow_id, request_id, state, begin_ns, end_ns, is_cold, error):
    """Writes the execution's record to Datastore; never raises."""
    if not RECORDS_KIND or not workflow_id:
        return
    try:
        import http.client
        import urllib.parse

        override = os.environ.get("DATASTORE_EMULATOR_HOST", "").strip()
        base = ("http://" + override if "://" not in override else override) if override \
            else "https://datastore.googleapis.com"
        project = (os.environ.get("GOOGLE_CLOUD_PROJECT", "").strip()
                   or os.environ.get("DATASTORE_PROJECT_ID", "").strip())
        database = os.environ.get("SEBS_NOSQL_DATABASE", "").strip() or "(default)"
        partition = {"projectId": project}
        if database != "(default)":
            partition["databaseId"] = database
        properties = {
            "workflow": {"stringValue": workflow_id}, "request_id": {"stringValue": request_id},
            "func": {"stringValue": WORKFLOW_FUNCTION, "excludeFromIndexes": True},
            "state": {"stringValue": state, "excludeFromIndexes": True},
            "start": {"integerValue": str(begin_ns // 1000), "excludeFromIndexes": True},
            "end": {"integerValue": str(end_ns // 1000), "excludeFromIndexes": True},
            "is_cold": {"booleanValue": is_cold, "excludeFromIndexes": True},
            "container_id": {"stringValue": CONTAINER_ID, "excludeFromIndexes": True},
        }
        if error is not None:
            properties["error"] = {"stringValue": error[:1400], "excludeFromIndexes": True}
        entity = {"key": {"partitionId": partition, "path": [{"kind": "workflow", "name": workflow_id},
                                                             {"kind": RECORDS_KIND, "name": request_id}]},
                  "properties": properties}
        body = {"mode": "NON_TRANSACTIONAL", "mutations": [{"upsert": entity}]}
        if database != "(default)":
            body["databaseId"] = database
        headers = {"Content-Type": "application/json"}
        if not override or os.environ.get("GCE_METADATA_HOST", "").strip():
            headers["Authorization"] = _records_token_header()
        parts = urllib.parse.urlsplit(base)
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = cls(parts.netloc, timeout=10)
        try:
            connection.request("POST", parts.path.rstrip("/") + "/v1/projects/%s:commit"
                               % urllib.parse.quote(project, safe=""), body=json.dumps(body).encode("utf-8"),
                               headers=headers)
            response = connection.getresponse()
            answer = response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError("HTTP %d %s" % (response.status, answer[:300]))
    except Exception as e:  # noqa: a record is never worth failing the function for
        print("sebs-junit: cannot write the workflow record to %s: %s" % (RECORDS_KIND, e), file=sys.stderr)
