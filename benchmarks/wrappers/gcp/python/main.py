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
else a fresh uuid. Workflow mode (SEBS_WORKFLOW_FUNCTION) is not supported on this platform yet.
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
