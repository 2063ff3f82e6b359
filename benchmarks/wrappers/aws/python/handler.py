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
"""

import base64
import json
import os
import sys
import time
import traceback
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
