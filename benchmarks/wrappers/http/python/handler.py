"""sebs-junit local platform: HTTP wrapper around a Python benchmark function.

One wrapper process = one function instance. The package directory (the working directory) holds
this file and function/function.py, which defines handler(event).

Protocol (kept identical to ../nodejs/handler.js):
  * environment: SEBS_INSTANCE_DIR (scratch + cold marker), SEBS_FUNCTION_NAME (informational),
    SEBS_MEMORY_MB + SEBS_ENFORCE_MEMORY=1 (RLIMIT_AS), SEBS_CLOCK_OFFSET_MS (added to every
    timestamp this wrapper reports AND to the wall clock the function reads, see "Clock shift").
    SEBS_TMP is set to the instance directory for the function.
    SEBS_WORKFLOW_FUNCTION=<name>: this instance is one function of a SeBS-Flow workflow; it loads
    function/<name>.py instead of function/function.py and returns the handler's whole return value
    as result.output (a workflow passes it on as the next state's payload, unchanged).
  * listens on 127.0.0.1:<ephemeral>, prints exactly "SEBS_LISTENING <port>" on stdout.
  * exits as soon as stdin reaches EOF (the parent keeps it open and never writes to it).
  * POST <any path> with a JSON event -> 200 with begin/end/income_timestamp/is_cold/container_id/
    request_id/result{output[, measurement]}; 500 with error/traceback when the function raises;
    400 when the body is not JSON. GET /health -> 200 {"status": "ok"}.

Threads: the function always runs on the MAIN thread, one invocation at a time (a queue feeds it).
HTTP connections are served by their own threads, so an idle keep-alive connection (Java's
HttpClient pools them) never blocks a request arriving on another connection, which a
single-threaded http.server.HTTPServer would do until the idle connection closes.

Timestamps are epoch seconds as strings with exactly six fractional digits, built from the integer
nanoseconds of time.time_ns() (microsecond resolution, no float rounding).

Clock shift: with a non-zero SEBS_CLOCK_OFFSET_MS the process behaves as if its wall clock were that
far ahead of the host's (negative: behind), so a clock-synchronisation test can check an offset
estimate against a known truth. Before the function is imported, the wrapper replaces
time.time, time.time_ns and datetime.datetime (a subclass whose now/utcnow/today are shifted and which
still accepts every datetime in isinstance checks) for the whole process, so
`import time; time.time()`, `from time import time_ns` and `from datetime import datetime` in the
function all see the shifted clock. The wrapper's own begin/end/income_timestamp come from the saved
original time.time_ns plus the offset, so they are shifted exactly once. Not shifted: monotonic clocks
(time.monotonic, time.perf_counter: durations, not wall time) and time.localtime()/gmtime()/ctime()
without an argument. With offset 0 nothing is replaced.

Python 3.8+, standard library only.
"""

import json
import os
import queue
import socketserver
import sys
import threading
import datetime as _datetime_module
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
COLD_MARKER_NAME = ".sebs-cold-marker"
# Thread stack size under SEBS_ENFORCE_MEMORY=1, where every thread's stack counts against RLIMIT_AS:
# the wrapper's own threads (stdin watcher, HTTP connections) never run the function and need little.
# threading.stack_size is process-wide, so threads the function starts get it too (main thread: not).
ENFORCED_THREAD_STACK = 1024 * 1024


def _fail(message):
    sys.stderr.write("sebs wrapper: " + message + "\n")
    sys.stderr.flush()
    sys.exit(2)


def _clock_offset_ns():
    raw = os.environ.get("SEBS_CLOCK_OFFSET_MS", "").strip()
    if not raw:
        return 0
    try:
        return int(round(float(raw) * 1_000_000))
    except ValueError:
        _fail("SEBS_CLOCK_OFFSET_MS is not a number: %r" % raw)


def _instance_dir():
    path = os.environ.get("SEBS_INSTANCE_DIR", "").strip()
    if not path:
        import tempfile

        path = tempfile.mkdtemp(prefix="sebs-instance-")
        sys.stderr.write("sebs wrapper: SEBS_INSTANCE_DIR not set, using %s\n" % path)
    path = os.path.abspath(path)
    os.makedirs(path, exist_ok=True)
    return path


def _enforce_memory():
    """SEBS_ENFORCE_MEMORY=1: limits the address space (RLIMIT_AS) to SEBS_MEMORY_MB.

    Without care, each extra thread costs ~72 MB of address space (a 64 MB glibc malloc arena plus an
    8 MB stack), so the wrapper's threads alone would eat half of a 256 MB limit; with one arena and
    1 MB stacks they cost ~1 MB each and the function gets (limit - ~30 MB of interpreter).
    """
    if os.environ.get("SEBS_ENFORCE_MEMORY", "").strip() != "1":
        return
    raw = os.environ.get("SEBS_MEMORY_MB", "").strip()
    try:
        limit = int(float(raw) * 1024 * 1024)
    except ValueError:
        limit = 0
    if limit <= 0:
        _fail("SEBS_ENFORCE_MEMORY=1 needs a positive SEBS_MEMORY_MB, got %r" % raw)
    try:
        # glibc gives each new thread its own malloc arena, reserving 64 MB of address space apiece:
        # with one shared arena, the wrapper's threads cost well under 1 MB of the limit.
        import ctypes

        ctypes.CDLL(None).mallopt(-8, 1)  # M_ARENA_MAX = 1
    except Exception:
        pass  # not glibc: nothing to tune
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY and hard < limit:
        sys.stderr.write("sebs wrapper: hard RLIMIT_AS %d is below %d bytes, using it\n" % (hard, limit))
        limit = hard
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    threading.stack_size(ENFORCED_THREAD_STACK)


CLOCK_OFFSET_NS = _clock_offset_ns()
INSTANCE_DIR = _instance_dir()
COLD_MARKER = os.path.join(INSTANCE_DIR, COLD_MARKER_NAME)
os.environ["SEBS_TMP"] = INSTANCE_DIR


# The host's wall clock, saved before _shift_function_clocks replaces time.time_ns.
_HOST_TIME_NS = time.time_ns


def now_ns():
    return _HOST_TIME_NS() + CLOCK_OFFSET_NS


def _shift_function_clocks(offset_ns):
    """Shifts the wall clock every module of this process reads by offset_ns (see "Clock shift")."""
    if offset_ns == 0:
        return
    host_time_ns = _HOST_TIME_NS

    def shifted_time_ns():
        return host_time_ns() + offset_ns

    def shifted_time():
        return (host_time_ns() + offset_ns) / 1e9

    shifted_time_ns.__doc__ = "time.time_ns() shifted by SEBS_CLOCK_OFFSET_MS (sebs-junit local wrapper)."
    shifted_time.__doc__ = "time.time() shifted by SEBS_CLOCK_OFFSET_MS (sebs-junit local wrapper)."
    time.time_ns = shifted_time_ns
    time.time = shifted_time

    host_datetime = _datetime_module.datetime
    utc = _datetime_module.timezone.utc

    class _AnyDatetime(type):
        # datetimes made by C code (strptime, timestamps of other libraries) are host datetimes:
        # they still pass isinstance(x, datetime.datetime) after the class is replaced.
        def __instancecheck__(cls, obj):
            return isinstance(obj, host_datetime)

        def __subclasscheck__(cls, sub):
            return issubclass(sub, host_datetime)

    class ShiftedDatetime(host_datetime, metaclass=_AnyDatetime):
        @classmethod
        def now(cls, tz=None):
            ns = shifted_time_ns()
            seconds, nanos = divmod(ns, 1_000_000_000)
            return cls.fromtimestamp(seconds, tz).replace(microsecond=nanos // 1000)

        @classmethod
        def today(cls):
            return cls.now()

        @classmethod
        def utcnow(cls):
            return cls.now(utc).replace(tzinfo=None)

    ShiftedDatetime.__name__ = ShiftedDatetime.__qualname__ = "datetime"
    ShiftedDatetime.__module__ = "datetime"
    _datetime_module.datetime = ShiftedDatetime


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


def fmt_timestamp(ns):
    """Integer epoch nanoseconds -> "<seconds>.<6-digit microseconds>" (truncated to microseconds)."""
    seconds, micros = divmod(ns // 1000, 1_000_000)
    return "%d.%06d" % (seconds, micros)


def to_json(obj):
    return json.dumps(obj, allow_nan=False).encode("utf-8")


# ---------------------------------------------------------------- the function (main thread only)

_function_module = None
# One function of a workflow (SeBS-Flow): function/<name>.py, whose return value is passed on whole.
WORKFLOW_FUNCTION = os.environ.get("SEBS_WORKFLOW_FUNCTION", "").strip()


def _load_function():
    global _function_module
    if _function_module is None:
        if PACKAGE_DIR not in sys.path:
            sys.path.insert(0, PACKAGE_DIR)
        if WORKFLOW_FUNCTION:
            import importlib

            module = importlib.import_module("function." + WORKFLOW_FUNCTION)
        else:
            from function import function as module  # noqa: the benchmark's code, imported lazily

        _function_module = module
    return _function_module


def _cold_start():
    """Returns (is_cold, container_id) from the instance's cold marker, creating it on first use."""
    if os.path.exists(COLD_MARKER):
        with open(COLD_MARKER, "r") as f:
            return False, f.read().strip()
    container_id = uuid.uuid4().hex
    with open(COLD_MARKER, "w") as f:
        f.write(container_id)
    return True, container_id


def invoke(raw_body, request_id, income_ns):
    """One invocation, from the raw request body to (HTTP status, response body bytes)."""
    try:
        event = json.loads(raw_body)
    except ValueError as e:
        return 400, to_json({"error": "the request body is not valid JSON: %s" % e})
    is_cold, container_id = _cold_start()
    answer = {"begin": None, "end": None, "income_timestamp": fmt_timestamp(income_ns),
              "is_cold": is_cold, "container_id": container_id, "request_id": request_id}
    begin = now_ns()
    try:
        ret = _load_function().handler(event)
    except BaseException as e:  # noqa: report whatever the function raises, SystemExit included
        end = now_ns()
        if isinstance(e, KeyboardInterrupt):
            raise
        answer.update(begin=fmt_timestamp(begin), end=fmt_timestamp(end),
                      error=describe_error(e), traceback=traceback.format_exc())
        return 500, to_json(answer)
    end = now_ns()
    answer.update(begin=fmt_timestamp(begin), end=fmt_timestamp(end))
    if isinstance(ret, dict) and "result" in ret and not WORKFLOW_FUNCTION:
        result = {"output": ret["result"]}
        if ret.get("measurement") is not None:
            result["measurement"] = ret["measurement"]
    else:
        result = {"output": ret}
    answer["result"] = result
    try:
        return 200, to_json(answer)
    except (TypeError, ValueError, RecursionError) as e:
        # The function returned something JSON cannot carry (a set, bytes, NaN, ...).
        del answer["result"]
        answer.update(error="%s: function result is not JSON-serializable: %s" % (type(e).__name__, e),
                      traceback=traceback.format_exc())
        return 500, to_json(answer)


class Job:
    __slots__ = ("raw_body", "request_id", "income_ns", "status", "body", "done")

    def __init__(self, raw_body, request_id, income_ns):
        self.raw_body, self.request_id, self.income_ns = raw_body, request_id, income_ns
        self.status, self.body = 500, b""
        self.done = threading.Event()

    def run(self):
        try:
            self.status, self.body = invoke(self.raw_body, self.request_id, self.income_ns)
        except Exception as e:  # the wrapper itself failed (e.g. the instance directory vanished)
            self.status, self.body = 500, to_json({
                "income_timestamp": fmt_timestamp(self.income_ns), "request_id": self.request_id,
                "error": "wrapper failure: %s: %s" % (type(e).__name__, e),
                "traceback": traceback.format_exc()})
        finally:
            self.done.set()


JOBS = queue.SimpleQueue()


# ---------------------------------------------------------------- HTTP (connection threads)

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every answer carries Content-Length
    disable_nagle_algorithm = True  # headers and body are two writes: avoid Nagle/delayed-ACK stalls
    server_version = "sebs-local-python"

    def parse_request(self):
        # The request line has just been read: the earliest moment this request is known.
        self.income_ns = now_ns()
        return super().parse_request()

    def log_message(self, format, *args):  # noqa: no access log; stdout/stderr belong to the function
        pass

    def send_error(self, code, message=None, explain=None):
        # http.server's own errors (bad request line, unsupported method, ...) as JSON too.
        try:
            short = self.responses[code][0]
        except (KeyError, IndexError):
            short = "error"
        detail = ": " + message if message else ""
        self._send(code, to_json({"error": "%d %s%s" % (code, short, detail)}), close=True)

    def _send(self, status, body, close=False):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")  # also sets self.close_connection
        self.end_headers()
        self.wfile.write(body)

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # CRLF after each chunk
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def do_GET(self):
        if self.path.split("?", 1)[0].rstrip("/") == "/health":
            self._send(200, b'{"status": "ok"}')
        else:
            self._send(404, to_json({"error": "not found: GET %s (use GET /health or POST an event)"
                                              % self.path}))

    def do_POST(self):
        income_ns = getattr(self, "income_ns", None) or now_ns()
        try:
            raw = self._read_body()
        except (ValueError, OSError) as e:
            self._send(400, to_json({"error": "cannot read the request body: %s" % e}), close=True)
            return
        request_id = self.headers.get("X-Request-Id", "").strip() or str(uuid.uuid4())
        job = Job(raw, request_id, income_ns)
        JOBS.put(job)
        job.done.wait()
        self._send(job.status, job.body)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def server_bind(self):
        # HTTPServer.server_bind calls socket.getfqdn(), which can stall on reverse DNS: skip it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


def _exit_on_stdin_eof():
    try:
        while os.read(0, 256):
            pass
    except OSError as e:
        sys.stderr.write("sebs wrapper: cannot watch stdin (%s), parent death goes unnoticed\n" % e)
        return
    os._exit(0)


def main():
    _enforce_memory()
    _shift_function_clocks(CLOCK_OFFSET_NS)
    threading.Thread(target=_exit_on_stdin_eof, name="sebs-stdin-watch", daemon=True).start()
    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 3600},
                     name="sebs-http", daemon=True).start()
    sys.stdout.write("SEBS_LISTENING %d\n" % server.server_address[1])
    sys.stdout.flush()
    try:
        while True:
            JOBS.get().run()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
