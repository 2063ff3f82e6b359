"""sebs-junit Azure Functions wrapper for a Python benchmark function (function "handler", v1 programming model).

The app root holds host.json, requirements.txt (the benchmark's requirements and azure-functions, installed by
the Flex Consumption plan's remote build), this folder (handler/function.json: an HTTP trigger "req", POST,
authLevel function, the HTTP answer as $return; handler/__init__.py: main(req, context)) and the benchmark's
code in function/ (function/function.py defines handler(event)). The Python worker puts the app root on
sys.path, so the benchmark is imported as the package "function".

Every answer follows the function contract of the sebs-junit wrappers: begin/end/income_timestamp (epoch
seconds, six fractional digits), is_cold, container_id, request_id (the Azure invocation id,
context.invocation_id), result{output[, measurement]}, and on the cold answer init_begin (when this worker
process started, so the platform can report the init time). A raised exception becomes error/traceback in a
normal 200 answer, so the client records a failed invocation with its reason instead of the host's opaque 500;
a body that is not JSON gets 400.

An instance runs one Python worker process, so the cold answer is the first one this process gives and the
container id is made once per process.

Workflow mode (SEBS_WORKFLOW_FUNCTION=<func_name>: one function of a SeBS-Flow workflow, called by the workflow's
Durable Functions orchestrator app): the same contract, but the benchmark's module is function/<func_name>.py and
its return value is the output as it is (a dict with "result" is not unwrapped: workflow functions return the next
payload).
"""

import json
import os
import sys
import time
import traceback
import uuid

import azure.functions as func

COLD_START_HEADER = "x-sebs-cold-start"


def _process_start_ns():
    """Epoch nanoseconds when this process started, from /proc (uptime and the process's start in clock ticks
    since boot); the import time of this module where /proc cannot tell."""
    try:
        with open("/proc/self/stat") as f:
            stat = f.read()
        # the command name (field 2) may hold spaces and parentheses: count fields after the last ")"
        start_ticks = int(stat[stat.rindex(")") + 2:].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        age = uptime - start_ticks / os.sysconf("SC_CLK_TCK")
        return time.time_ns() - int(max(age, 0.0) * 1e9)
    except (OSError, ValueError, IndexError):
        return time.time_ns()


INIT_BEGIN_NS = _process_start_ns()
APP_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTAINER_ID = uuid.uuid4().hex
JSON_MIME = "application/json"

if APP_ROOT not in sys.path:
    sys.path.insert(0, APP_ROOT)

_function_module = None
_served = False
WORKFLOW_FUNCTION = os.environ.get("SEBS_WORKFLOW_FUNCTION", "").strip()

# Files the wrappers ship into function/ beside the benchmark's code: never "the user's frame".
WRAPPER_MODULES = ("storage.py", "nosql.py", "redis.py")


def user_frame(tb):
    """Where the benchmark's own code failed: the innermost frame of a file under function/ that is the
    benchmark's (not a wrapper module, not an installed package), as "function.py:12 in handler"; None when
    the failure never passed through it. Kept identical in the other Python wrappers."""
    function_dir = os.path.join(APP_ROOT, "function")
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


def _answer(body, status=200):
    return func.HttpResponse(body, status_code=status, mimetype=JSON_MIME)


def main(req, context):
    global _function_module, _served
    income = time.time_ns()
    try:
        event = json.loads(req.get_body().decode("utf-8"))
    except ValueError:
        event = None
    if event is None:
        return _answer(json.dumps({"error": "the request body is not a JSON event"}), 400)
    # after an enforced cold start the client names the app setting's new value: an instance started before the
    # change refuses without running the benchmark, so the client can try again until a new instance answers
    expected = req.headers.get(COLD_START_HEADER)
    if expected is not None and expected != os.environ.get("SEBS_COLD_START", ""):
        return _answer(json.dumps({"stale": True, "cold_start": os.environ.get("SEBS_COLD_START", "")}), 409)
    is_cold = not _served
    _served = True
    request_id = getattr(context, "invocation_id", None) or uuid.uuid4().hex
    answer = {"income_timestamp": _fmt(income), "is_cold": is_cold, "container_id": CONTAINER_ID,
              "request_id": request_id}
    if is_cold:
        answer["init_begin"] = _fmt(INIT_BEGIN_NS)
    begin = time.time_ns()
    try:
        if _function_module is None:
            import importlib

            _function_module = importlib.import_module("function." + (WORKFLOW_FUNCTION or "function"))
        ret = _function_module.handler(event)
    except Exception as e:  # noqa: every failure of the function is reported, not raised
        answer.update(begin=_fmt(begin), end=_fmt(time.time_ns()), error=describe_error(e),
                      traceback=traceback.format_exc())
        return _answer(json.dumps(answer))
    end = time.time_ns()
    if isinstance(ret, dict) and "result" in ret and not WORKFLOW_FUNCTION:
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
    return _answer(body)
