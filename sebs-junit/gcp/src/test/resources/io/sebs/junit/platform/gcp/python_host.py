"""Test stand-in for Google's Python Functions Framework: serves one HTTP function the way a Cloud Run
functions instance does, without Flask (standard library only, so the stand-in needs nothing installed).

Usage: python3 python_host.py --source DIR --target NAME [--port N]   (defaults: FUNCTION_TARGET, PORT)

What it shares with the framework (what the wrappers rely on): main.py is imported from the source dir
(which is the working directory and on sys.path, after the dependencies Cloud Build installed into
DIR/.packages); the target gets a Flask-like request (get_json(force, silent), json, data, get_data, headers
with case-insensitive names, method, args, path, ...); its return value is turned into a response as Flask
does it: str/bytes (text/html), dict/list (JSON), (body, status), (body, headers), (body, status, headers);
an uncaught exception is a 500 (here with the traceback as the body, also written to stderr) and the
process goes on serving. The function runs one request at a time (Cloud Run functions' default concurrency
of 1): connections get threads of their own only so that an idle keep-alive connection of a pooling client
never blocks a request arriving on another one. HTTP/1.1 with keep-alive and TCP_NODELAY (without it,
Nagle's algorithm holds small responses back behind the headers). Listens on 127.0.0.1 only.
"""

import argparse
import importlib
import json
import os
import socket
import sys
import threading
import traceback
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HTTPException(Exception):
    """What werkzeug raises for a request the function cannot use (e.g. get_json on a non-JSON body)."""

    def __init__(self, code, description):
        super().__init__(description)
        self.code = code
        self.description = description


class Headers:
    """Read-only request headers with case-insensitive names, like werkzeug's EnvironHeaders."""

    def __init__(self, message):
        self._items = list(message.items())

    def get(self, name, default=None, type=None):
        for key, value in self._items:
            if key.lower() == name.lower():
                return type(value) if type is not None else value
        return default

    def getlist(self, name):
        return [value for key, value in self._items if key.lower() == name.lower()]

    def __getitem__(self, name):
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name):
        return self.get(name) is not None

    def __iter__(self):
        return iter(self._items)

    def items(self):
        return list(self._items)

    def keys(self):
        return [key for key, _ in self._items]

    def __len__(self):
        return len(self._items)


class Args(dict):
    """Query parameters: first value per name, getlist for all, like werkzeug's MultiDict."""

    def __init__(self, query):
        self._lists = urllib.parse.parse_qs(query, keep_blank_values=True)
        super().__init__({name: values[0] for name, values in self._lists.items()})

    def getlist(self, name):
        return list(self._lists.get(name, []))


_UNSET = object()


class Request:
    """The parts of flask.Request that HTTP functions use."""

    def __init__(self, method, target, headers, body, remote_addr):
        split = urllib.parse.urlsplit(target)
        self.method = method
        self.path = urllib.parse.unquote(split.path) or "/"
        self.full_path = self.path + "?" + split.query
        self.query_string = split.query.encode("latin-1")
        self.args = Args(split.query)
        self.headers = Headers(headers)
        self.data = body
        self.remote_addr = remote_addr
        self.content_type = self.headers.get("Content-Type")
        self.mimetype = (self.content_type or "").split(";", 1)[0].strip().lower()
        self.content_length = len(body)
        self.host = self.headers.get("Host", "")
        self.url = "http://%s%s" % (self.host, target)
        self._json = _UNSET

    @property
    def is_json(self):
        return self.mimetype == "application/json" or (
            self.mimetype.startswith("application/") and self.mimetype.endswith("+json"))

    def get_data(self, cache=True, as_text=False, parse_form_data=False):
        return self.data.decode("utf-8", "replace") if as_text else self.data

    def get_json(self, force=False, silent=False, cache=True):
        if not (force or self.is_json):
            if silent:
                return None
            raise HTTPException(415, "Did not attempt to load JSON data because the request Content-Type was not"
                                     " 'application/json'.")
        if self._json is _UNSET:
            try:
                self._json = json.loads(self.data.decode("utf-8")) if self.data else _UNSET
            except ValueError as e:
                if silent:
                    return None
                raise HTTPException(400, "Failed to decode JSON object: %s" % e)
            if self._json is _UNSET:
                if silent:
                    return None
                raise HTTPException(400, "Failed to decode JSON object: the body is empty")
        return self._json

    @property
    def json(self):
        return self.get_json()


def to_response(value):
    """(status, headers, body bytes) from a view's return value, following Flask's make_response rules."""
    status, headers = 200, []
    if isinstance(value, tuple):
        if len(value) == 3:
            value, status, extra = value
        elif len(value) == 2:
            value, second = value
            if isinstance(second, (dict, list)):
                extra = second
            else:
                status, extra = second, None
        else:
            raise TypeError("The view function did not return a valid response tuple: a (body, status, headers),"
                            " (body, status) or (body, headers) tuple, not %d items" % len(value))
        if extra:
            headers = list(extra.items()) if isinstance(extra, dict) else list(extra)
    if value is None:
        raise TypeError("The view function did not return a valid response: it returned None")
    if isinstance(value, (dict, list)):
        body, content_type = (json.dumps(value) + "\n").encode("utf-8"), "application/json"
    elif isinstance(value, str):
        body, content_type = value.encode("utf-8"), "text/html; charset=utf-8"
    elif isinstance(value, (bytes, bytearray)):
        body, content_type = bytes(value), "text/html; charset=utf-8"
    else:
        raise TypeError("The view function did not return a valid response: %s is not a str, bytes, dict, list"
                        " or tuple" % type(value).__name__)
    if isinstance(status, str):
        status = int(status.split(None, 1)[0])
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.insert(0, ("Content-Type", content_type))
    return int(status), headers, body


_function = None  # the entry point, from main.py
_lock = threading.Lock()  # one invocation at a time


class Host(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sebs-python-host"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _serve(self):
        body = self._body()
        if self.path.split("?", 1)[0] in ("/favicon.ico", "/robots.txt"):
            self._send(404, [("Content-Type", "text/plain")], b"Not Found")
            return
        request = Request(self.command, self.path, self.headers, body, self.client_address[0])
        with _lock:
            try:
                status, headers, payload = to_response(_function(request))
            except HTTPException as e:
                status, headers, payload = e.code, [("Content-Type", "text/plain")], e.description.encode("utf-8")
            except Exception:  # noqa: as the framework, the instance survives the function's failure
                text = traceback.format_exc()
                sys.stderr.write("Exception on %s %s\n%s" % (self.command, self.path, text))
                sys.stderr.flush()
                status, headers, payload = 500, [("Content-Type", "text/plain; charset=utf-8")], text.encode("utf-8")
        self._send(status, headers, payload)

    def _body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status, headers, payload):
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
        self.send_response(status, phrase)
        for name, value in headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, str(value))
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        self.wfile.flush()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format, *args):
        pass  # one line per request would drown the function's own output in the log


def main():
    global _function
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default=".")
    parser.add_argument("--target", default=os.environ.get("FUNCTION_TARGET", "function"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
    options = parser.parse_args()
    source = os.path.abspath(options.source)
    os.chdir(source)
    for entry in (os.path.join(source, ".packages"), source):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    if not os.path.isfile(os.path.join(source, "main.py")):
        sys.exit("python host: %s has no main.py (the Python runtime imports the entry point from main.py)" % source)
    module = importlib.import_module("main")
    function = getattr(module, options.target, None)
    if not callable(function):
        sys.exit("python host: main.py defines no function %r (the entry point)" % options.target)
    _function = function
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Host)
    server.daemon_threads = True
    print("python host: serving %s in %s on 127.0.0.1:%d" % (options.target, source, options.port), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
