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

Threads: the function always runs on the MAIN thread (signal handlers, signal.alarm timeouts), one
invocation at a time, and so does the HTTP server: one selector waits on the listening socket and every
connection, and the thread that reads a request also runs the function and writes the answer, with no hand-off
between threads (a queue between connection threads and the main thread cost ~0.2 ms per warm invocation,
more than the whole bare http.server round trip). An idle keep-alive connection (Java's HttpClient pools them)
never blocks a request arriving on another connection. While a function runs, nothing else is answered (GET
/health included): requests wait in the kernel, as they waited in the queue before. Only the stdin watcher is
another thread, so the parent's death ends the process even while a function runs.

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
import selectors
import socket
import sys
import threading
import datetime as _datetime_module
import time
import traceback
import uuid

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
COLD_MARKER_NAME = ".sebs-cold-marker"
# Thread stack size under SEBS_ENFORCE_MEMORY=1, where every thread's stack counts against RLIMIT_AS:
# the wrapper's own thread (the stdin watcher) never runs the function and needs little.
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


# One encoder for every answer: json.dumps(obj, allow_nan=False) would build a new one per call.
_ENCODER = json.JSONEncoder(allow_nan=False)


def to_json(obj):
    return _ENCODER.encode(obj).encode("utf-8")


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


# The container id once the marker was read or written: later invocations of this process are warm, and need
# no file system call on their path (as in the Node.js wrapper).
_known_container_id = None


def _cold_start():
    """Returns (is_cold, container_id) from the instance's cold marker, creating it on first use."""
    global _known_container_id
    if _known_container_id is not None:
        return False, _known_container_id
    if os.path.exists(COLD_MARKER):
        with open(COLD_MARKER, "r") as f:
            _known_container_id = f.read().strip()
        return False, _known_container_id
    container_id = uuid.uuid4().hex
    with open(COLD_MARKER, "w") as f:
        f.write(container_id)
    _known_container_id = container_id
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


def wrapper_failure(e, request_id, income_ns):
    """The answer when the wrapper itself failed (e.g. the instance directory vanished)."""
    return 500, to_json({
        "income_timestamp": fmt_timestamp(income_ns), "request_id": request_id,
        "error": "wrapper failure: %s: %s" % (type(e).__name__, e), "traceback": traceback.format_exc()})


# ---------------------------------------------------------------- HTTP (main thread, one selector)

# Longest request line plus headers accepted (http.server: 64 KiB lines, 100 headers).
MAX_HEAD = 64 * 1024
SERVER_HEADER = "sebs-local-python Python/%d.%d.%d" % sys.version_info[:3]
REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 413: "Payload Too Large",
           431: "Request Header Fields Too Large", 500: "Internal Server Error", 505: "HTTP Version Not Supported"}
_date_second = None
_date_header = ""


def _http_date():
    """The Date header, formatted once per second (formatdate is a few microseconds per call)."""
    global _date_second, _date_header
    second = int(_HOST_TIME_NS() // 1_000_000_000)
    if second != _date_second:
        import email.utils

        _date_second, _date_header = second, email.utils.formatdate(second, usegmt=True)
    return _date_header


def answer_bytes(status, body, close):
    """Status line, headers and body as one buffer: one send, no Nagle stall between head and body."""
    head = "HTTP/1.1 %d %s\r\nServer: %s\r\nDate: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n" % (
        status, REASONS.get(status, "Error"), SERVER_HEADER, _http_date(), len(body),
        "Connection: close\r\n" if close else "")
    return head.encode("latin-1") + body


class BadRequest(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def _chunked_body(buf, at):
    """(body, end) of a chunked body starting at buf[at], or None while it is incomplete."""
    chunks = []
    while True:
        line_end = buf.find(b"\r\n", at)
        if line_end < 0:
            if len(buf) - at > MAX_HEAD:
                raise BadRequest(400, "chunk size line too long")
            return None
        try:
            size = int(bytes(buf[at:line_end]).split(b";", 1)[0].strip() or b"0", 16)
        except ValueError:
            raise BadRequest(400, "cannot read the request body: invalid chunk size %r" % bytes(buf[at:line_end]))
        if size < 0:
            raise BadRequest(400, "cannot read the request body: invalid chunk size %d" % size)
        at = line_end + 2
        if size == 0:
            while True:  # trailers, up to the blank line
                line_end = buf.find(b"\r\n", at)
                if line_end < 0:
                    return None
                blank = line_end == at
                at = line_end + 2
                if blank:
                    return b"".join(chunks), at
        if len(buf) < at + size + 2:
            return None
        chunks.append(bytes(buf[at:at + size]))
        at += size + 2  # the chunk and its CRLF


class Connection:
    """One client connection: bytes received so far, parsed into requests that are answered in order."""

    __slots__ = ("sock", "buf", "income_ns", "continued")

    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()
        self.income_ns = None  # when the first byte of the request being received arrived
        self.continued = False  # "100 Continue" already sent for the request being received

    def on_readable(self):
        """Reads what arrived and answers every complete request; False when the connection is to be closed."""
        try:
            data = self.sock.recv(262144)
        except (BlockingIOError, InterruptedError):
            return True
        except OSError:
            return False
        if not data:
            return False
        if self.income_ns is None:
            self.income_ns = now_ns()  # the earliest moment this request is known
        self.buf += data
        while self.buf:
            try:
                request = self._next_request()
            except BadRequest as e:
                self._send(answer_bytes(e.status, to_json({"error": "%d %s: %s" % (
                    e.status, REASONS.get(e.status, "Error"), e)}), True))
                return False
            if request is None:
                return True
            method, target, headers, body, keep_alive = request
            income_ns, self.income_ns = self.income_ns, (now_ns() if self.buf else None)
            self.continued = False
            status, answer = self._answer(method, target, headers, body, income_ns)
            if not self._send(answer_bytes(status, answer, not keep_alive)) or not keep_alive:
                return False
        return True

    def _next_request(self):
        """(method, target, headers, body, keep_alive) of the first complete request in buf, removed from
        it; None while incomplete."""
        buf = self.buf
        head_end = buf.find(b"\r\n\r\n")
        if head_end < 0:
            if len(buf) > MAX_HEAD:
                raise BadRequest(431, "the request line and headers exceed %d bytes" % MAX_HEAD)
            if buf[:2] == b"\r\n":  # blank lines before a request line are ignored (RFC 9112 2.2)
                del buf[:2]
            return None
        lines = bytes(buf[:head_end]).decode("latin-1").split("\r\n")
        while lines and not lines[0]:
            lines.pop(0)
        words = lines[0].split() if lines else []
        if len(words) != 3 or not words[2].startswith("HTTP/1."):
            if len(words) == 3 and words[2].startswith("HTTP/"):
                raise BadRequest(505, "invalid HTTP version (%s)" % words[2])
            raise BadRequest(400, "bad request syntax (%r)" % (lines[0] if lines else ""))
        method, target, version = words
        headers = {}
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if not colon:
                raise BadRequest(400, "bad header line (%r)" % line)
            headers[name.strip().lower()] = value.strip()
        connection = headers.get("connection", "").lower()
        keep_alive = "close" not in connection if version != "HTTP/1.0" else "keep-alive" in connection
        at = head_end + 4
        if "chunked" in headers.get("transfer-encoding", "").lower():
            parsed = _chunked_body(buf, at)
            if parsed is None:
                self._continue(headers)
                return None
            body, end = parsed
        else:
            try:
                length = int(headers.get("content-length") or 0)
                if length < 0:
                    raise ValueError(length)
            except ValueError:
                raise BadRequest(400, "cannot read the request body: invalid Content-Length %r"
                                 % headers.get("content-length"))
            end = at + length
            if len(buf) < end:
                self._continue(headers)
                return None
            body = bytes(buf[at:end])
        del buf[:end]
        return method, target, headers, body, keep_alive

    def _continue(self, headers):
        if not self.continued and headers.get("expect", "").lower() == "100-continue":
            self.continued = True
            self._send(b"HTTP/1.1 100 Continue\r\n\r\n")

    @staticmethod
    def _answer(method, target, headers, body, income_ns):
        if method == "POST":
            request_id = headers.get("x-request-id", "") or str(uuid.uuid4())
            try:
                return invoke(body, request_id, income_ns)
            except Exception as e:
                return wrapper_failure(e, request_id, income_ns)
        if method == "GET":
            if target.split("?", 1)[0].rstrip("/") == "/health":
                return 200, b'{"status": "ok"}'
            return 404, to_json({"error": "not found: GET %s (use GET /health or POST an event)" % target})
        return 405, to_json({"error": "method %s not supported (use GET /health or POST an event)" % method})

    def _send(self, data):
        """Sends all of data: one non-blocking send in the common case, a blocking rest only if the client
        reads slowly. False when the connection broke."""
        try:
            sent = self.sock.send(data)
            if sent < len(data):
                self.sock.setblocking(True)
                try:
                    self.sock.sendall(memoryview(data)[sent:])
                finally:
                    self.sock.setblocking(False)
            return True
        except (BlockingIOError, InterruptedError):
            self.sock.setblocking(True)
            try:
                self.sock.sendall(data)
                return True
            except OSError:
                return False
            finally:
                self.sock.setblocking(False)
        except OSError:
            return False


def serve(listener):
    """Serves every connection on the main thread until the process ends. An idle keep-alive connection
    (Java's pools keep them) never blocks a request arriving on another one: the selector waits on all."""
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, None)
    while True:
        for key, _ in selector.select():
            connection = key.data
            if connection is None:
                try:
                    sock, _ = listener.accept()
                except OSError:
                    continue
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.setblocking(False)
                selector.register(sock, selectors.EVENT_READ, Connection(sock))
            elif not connection.on_readable():
                selector.unregister(connection.sock)
                connection.sock.close()


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
    # A thread, not the selector: it notices the parent's death while a function runs on the main thread.
    threading.Thread(target=_exit_on_stdin_eof, name="sebs-stdin-watch", daemon=True).start()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.setblocking(False)
    sys.stdout.write("SEBS_LISTENING %d\n" % listener.getsockname()[1])
    sys.stdout.flush()
    try:
        serve(listener)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
