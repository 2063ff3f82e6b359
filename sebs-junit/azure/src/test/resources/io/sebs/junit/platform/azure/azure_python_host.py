"""Test stand-in for the Azure Functions host running a Python function app (v1 programming model): serves the
app's HTTP functions the way one Flex Consumption instance does, with the standard library only.

Usage: python3 azure_python_host.py --app APP_ROOT --port N [--shim DIR]

Loading, as the Python worker does it: the app root and APP_ROOT/.python_packages/lib/site-packages (where a
remote build installs the requirements) go on sys.path, behind the shim of azure.functions (DIR, default
python_shim beside this script; the real package cannot be installed here). Every folder of the app root with a
function.json is a function; its scriptFile (default __init__.py) is imported as the package
__app__.<folder>, so relative imports work, and its entryPoint (default main) is called with the trigger's
binding name bound to an azure.functions.HttpRequest and, when it takes one, "context" bound to an
azure.functions.Context.

Serving: POST /api/<route or function name> (the httpTrigger's methods are enforced: 405 otherwise, 404 for an
unknown route). The header x-sebs-invocation-id carries the invocation id the front end chose (a fresh uuid when
absent); it becomes context.invocation_id. The $return HttpResponse is the answer (status, headers, body, its
mimetype as Content-Type unless a header sets one). An exception of the function answers 500 with
"Exception: <type>: <message>" and the traceback as the body (also written to stderr), and the process goes
on serving. Functions run one invocation at a time (one worker, one thread), while connections get threads of
their own so an idle keep-alive connection never blocks another. Listens on 127.0.0.1 only.
"""

import argparse
import asyncio
import importlib.util
import inspect
import json
import os
import socket
import sys
import threading
import traceback
import types
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

INVOCATION_HEADER = "x-sebs-invocation-id"


class Function:
    """One function of the app: its folder, function.json, trigger and loaded entry point."""

    def __init__(self, app_root, name):
        self.name = name
        self.directory = os.path.join(app_root, name)
        with open(os.path.join(self.directory, "function.json")) as f:
            self.config = json.load(f)
        bindings = self.config.get("bindings", [])
        triggers = [b for b in bindings if b.get("type", "").lower() == "httptrigger"]
        if not triggers:
            raise SystemExit("sebs azure host: %s/function.json has no httpTrigger binding (the stand-in serves"
                             " HTTP functions only)" % name)
        self.trigger = triggers[0]
        self.methods = [m.upper() for m in self.trigger.get("methods") or ["GET", "POST"]]
        self.route = (self.trigger.get("route") or name).strip("/")
        self.returns = any(b.get("name") == "$return" for b in bindings)
        self.entry = None

    def load(self):
        script = os.path.normpath(os.path.join(self.directory, self.config.get("scriptFile", "__init__.py")))
        module_name = "__app__." + self.name
        spec = importlib.util.spec_from_file_location(
            module_name, script,
            submodule_search_locations=[self.directory] if os.path.basename(script) == "__init__.py" else None)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        entry_point = self.config.get("entryPoint", "main")
        self.entry = getattr(module, entry_point, None)
        if not callable(self.entry):
            raise SystemExit("sebs azure host: %s defines no function %s (function.json's entryPoint)"
                             % (script, entry_point))
        self.wants_context = "context" in inspect.signature(self.entry).parameters


def load_app(app_root):
    app_package = types.ModuleType("__app__")
    app_package.__path__ = [app_root]
    sys.modules["__app__"] = app_package
    functions = {}
    for name in sorted(os.listdir(app_root)):
        if os.path.isfile(os.path.join(app_root, name, "function.json")):
            function = Function(app_root, name)
            function.load()
            functions[function.route.lower()] = function
    if not functions:
        raise SystemExit("sebs azure host: no folder of %s holds a function.json" % app_root)
    return functions


class Host(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sebs-azure-python-host"
    functions = {}
    lock = threading.Lock()
    loop = asyncio.new_event_loop()

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _send(self, status, headers, body):
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(split.path).strip("/")
        function = self.functions.get(path[len("api/"):].lower()) if path.lower().startswith("api/") else None
        if function is None:
            self._send(404, {"Content-Type": "text/plain"}, b"no function at /" + path.encode("utf-8"))
            return
        if self.command not in function.methods:
            self._send(405, {"Content-Type": "text/plain", "Allow": ", ".join(function.methods)},
                       ("%s does not accept %s" % (function.name, self.command)).encode("utf-8"))
            return
        import azure.functions as func

        invocation_id = (self.headers.get(INVOCATION_HEADER) or "").strip() or str(uuid.uuid4())
        headers = {k: v for k, v in self.headers.items()}
        params = {k: v[0] for k, v in urllib.parse.parse_qs(split.query, keep_blank_values=True).items()}
        request = func.HttpRequest(self.command, "http://%s%s" % (self.headers.get("Host", "127.0.0.1"), self.path),
                                   headers=headers, params=params, route_params={}, body=body)
        kwargs = {function.trigger.get("name", "req"): request}
        if function.wants_context:
            kwargs["context"] = func.Context(invocation_id, function.name, function.directory)
        try:
            with self.lock:
                result = function.entry(**kwargs)
                if inspect.isawaitable(result):
                    result = self.loop.run_until_complete(result)
        except Exception as e:  # noqa: the function failed, the host goes on
            trace = traceback.format_exc()
            sys.stderr.write("Executed '%s' (Failed, Id=%s)\n%s" % (function.name, invocation_id, trace))
            sys.stderr.flush()
            self._send(500, {"Content-Type": "text/plain; charset=utf-8"},
                       ("Exception: %s: %s\n%s" % (type(e).__name__, e, trace)).encode("utf-8"))
            return
        if isinstance(result, func.HttpResponse):
            out_headers = dict(result.headers)
            if not any(k.lower() == "content-type" for k in out_headers):
                out_headers["Content-Type"] = "%s; charset=%s" % (result.mimetype, result.charset)
            self._send(result.status_code, out_headers, result.get_body())
        elif result is None:
            self._send(204, {}, b"")
        elif isinstance(result, (str, bytes)):
            data = result.encode("utf-8") if isinstance(result, str) else result
            self._send(200, {"Content-Type": "text/plain; charset=utf-8"}, data)
        else:
            self._send(500, {"Content-Type": "text/plain; charset=utf-8"},
                       ("Exception: the function returned %s, not an azure.functions.HttpResponse"
                        % type(result).__name__).encode("utf-8"))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, fmt, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--app", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--shim", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "python_shim"))
    options = parser.parse_args()
    app_root = os.path.abspath(options.app)
    os.chdir(app_root)
    site_packages = os.path.join(app_root, ".python_packages", "lib", "site-packages")
    sys.path[:0] = [os.path.abspath(options.shim), app_root, site_packages]
    Host.functions = load_app(app_root)
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Host)
    server.daemon_threads = True
    print("sebs azure host: serving %s on 127.0.0.1:%d" % (", ".join("api/" + r for r in Host.functions),
                                                          options.port), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
