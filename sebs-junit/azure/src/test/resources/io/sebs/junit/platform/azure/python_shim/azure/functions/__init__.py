"""A minimal stand-in for the azure-functions package (azure.functions) as the Python worker gives it to a v1
programming model function: only what an HTTP-triggered function's code reaches. The Azure Functions host and the
real package cannot be installed where sebs-junit's tests run, so azure_python_host.py puts this shim first on
sys.path.

HttpRequest: method, url, headers (case-insensitive names), params, route_params, get_body(), get_json() (raises
ValueError for a body that is not JSON). HttpResponse(body, status_code=200, headers=None, mimetype="text/plain",
charset="utf-8"): status_code, headers, mimetype, charset, get_body() (str bodies encoded with the charset).
Context: invocation_id, function_name, function_directory, trace_context, retry_context. Any other name fails
with an AttributeError that says it is the shim.
"""

import json
import typing

__version__ = "0.0.0+sebs-junit-shim"


class _Headers(typing.Mapping):
    """Header names compared case-insensitively, read-only."""

    def __init__(self, items=None):
        self._items = {}
        for key, value in (items or {}).items():
            self._items[str(key).lower()] = str(value)

    def __getitem__(self, name):
        return self._items[str(name).lower()]

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)

    def __contains__(self, name):
        return str(name).lower() in self._items

    def get(self, name, default=None):
        return self._items.get(str(name).lower(), default)

    def __repr__(self):
        return "HttpRequestHeaders(%r)" % self._items


class _ResponseHeaders(dict):
    """Response headers: a dict whose get and membership ignore the case of names."""

    def __contains__(self, name):
        return any(k.lower() == str(name).lower() for k in self.keys())

    def get(self, name, default=None):
        for key, value in self.items():
            if key.lower() == str(name).lower():
                return value
        return default


class HttpRequest:
    """An HTTP trigger's request, as the worker builds it."""

    def __init__(self, method, url, *, headers=None, params=None, route_params=None, body=b""):
        self._method = method.upper()
        self._url = url
        self._headers = _Headers(headers)
        self._params = dict(params or {})
        self._route_params = dict(route_params or {})
        self._body = body if isinstance(body, bytes) else str(body).encode("utf-8")

    @property
    def method(self):
        return self._method

    @property
    def url(self):
        return self._url

    @property
    def headers(self):
        return self._headers

    @property
    def params(self):
        return self._params

    @property
    def route_params(self):
        return self._route_params

    def get_body(self):
        return self._body

    def get_json(self):
        return json.loads(self._body.decode("utf-8"))


class HttpResponse:
    """What an HTTP function returns through its $return binding."""

    def __init__(self, body=None, *, status_code=None, headers=None, mimetype=None, charset=None):
        self._status_code = 200 if status_code is None else int(status_code)
        self._headers = _ResponseHeaders(headers or {})
        self._mimetype = mimetype or "text/plain"
        self._charset = charset or "utf-8"
        if body is None:
            self._body = b""
        elif isinstance(body, (bytes, bytearray)):
            self._body = bytes(body)
        elif isinstance(body, str):
            self._body = body.encode(self._charset)
        else:
            raise TypeError("response is expected to be either of str, bytes, or bytearray, got %s"
                            % type(body).__name__)

    @property
    def status_code(self):
        return self._status_code

    @property
    def headers(self):
        return self._headers

    @property
    def mimetype(self):
        return self._mimetype

    @property
    def charset(self):
        return self._charset

    def get_body(self):
        return self._body


class TraceContext:
    def __init__(self, trace_parent="", trace_state="", attributes=None):
        self.trace_parent = trace_parent
        self.trace_state = trace_state
        self.attributes = dict(attributes or {})


class RetryContext:
    def __init__(self, retry_count=0, max_retry_count=0, exception=None):
        self.retry_count = retry_count
        self.max_retry_count = max_retry_count
        self.exception = exception


class Context:
    """The invocation's context: its id and the function it runs."""

    def __init__(self, invocation_id, function_name, function_directory, trace_context=None, retry_context=None):
        self._invocation_id = invocation_id
        self._function_name = function_name
        self._function_directory = function_directory
        self._trace_context = trace_context or TraceContext()
        self._retry_context = retry_context or RetryContext()

    @property
    def invocation_id(self):
        return self._invocation_id

    @property
    def function_name(self):
        return self._function_name

    @property
    def function_directory(self):
        return self._function_directory

    @property
    def trace_context(self):
        return self._trace_context

    @property
    def retry_context(self):
        return self._retry_context


def __getattr__(name):
    raise AttributeError("azure.functions.%s is not in sebs-junit's stand-in for azure.functions, which has only"
                         " HttpRequest, HttpResponse and Context (what an HTTP function of the v1 programming model"
                         " uses)" % name)
