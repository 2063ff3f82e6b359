"""sebs-junit local platform: a Redis server for Python benchmark functions, in the spirit of SeBS's
storage and nosql modules.

Benchmark code (config.json lists "redis" in "modules"):

    from . import redis
    client = redis.redis.get_instance()
    client.set("key", b"value")
    client.get("key")               # b"value"
    client.push("queue", b"message")
    client.pop("queue", timeout=5)  # b"message", or None after 5 s

The platform runs a real Redis server and tells each function instance where it is:
  SEBS_REDIS_HOST, SEBS_REDIS_PORT

The redis client library (pip "redis") is imported on first use; the framework adds it to the function's
dependencies when config.json lists "redis". This module's name does not hide the library: the wrapper
puts the package folder, not function/, on sys.path, so "import redis" here is the library.
"""

import asyncio
import importlib
import importlib.util
import os
import sys
import threading
import types

HOST_ENV = "SEBS_REDIS_HOST"
PORT_ENV = "SEBS_REDIS_PORT"


def _new_client():
    host = os.environ.get(HOST_ENV, "").strip()
    port = os.environ.get(PORT_ENV, "").strip()
    if not host or not port:
        raise RuntimeError("%s/%s are not set: this function instance has no Redis server (does the "
                           "benchmark's config.json list \"redis\" in \"modules\"?)" % (HOST_ENV, PORT_ENV))
    try:
        _provide_async_timeout()
        library = importlib.import_module("redis")
    except ImportError as e:
        raise RuntimeError("the redis client library is not installed in the function's environment (%s); "
                           "the framework adds it when config.json lists \"redis\" in \"modules\"" % e)
    return library.Redis(host=host, port=int(port), socket_keepalive=True)


def _provide_async_timeout():
    """redis-py imports the async-timeout package on Python 3.11.0-3.11.2 (Debian 12's Python is 3.11.2)
    because asyncio.timeout had a bug there; only redis.asyncio uses it, never the synchronous client this
    module gives out. When a package index has no async-timeout, the standard library's asyncio.timeout
    stands in under that name, so the synchronous client still imports."""
    if sys.version_info >= (3, 11, 3) or not hasattr(asyncio, "timeout"):
        return
    if "async_timeout" in sys.modules or importlib.util.find_spec("async_timeout") is not None:
        return
    stand_in = types.ModuleType("async_timeout")
    stand_in.timeout = asyncio.timeout
    stand_in.__doc__ = "sebs-junit: asyncio.timeout under async-timeout's name (see redis.py)"
    sys.modules["async_timeout"] = stand_in


class redis:
    """Redis for benchmark code: bytes in, bytes out; one shared connection pool per process."""

    instance = None
    _instance_lock = threading.Lock()

    def __init__(self):
        self._client = None
        self._lock = threading.Lock()

    @staticmethod
    def get_instance():
        if redis.instance is None:
            with redis._instance_lock:
                if redis.instance is None:
                    redis.instance = redis()
        return redis.instance

    @property
    def client(self):
        """The redis.Redis client, created (and the library imported) on first use."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = _new_client()
        return self._client

    def set(self, key, value):
        self.client.set(key, value)

    def get(self, key):
        """The value as bytes, or None when the key does not exist."""
        return self.client.get(key)

    def delete(self, key):
        self.client.delete(key)

    def push(self, key, value):
        """Appends value to the list key (a queue)."""
        self.client.rpush(key, value)

    def pop(self, key, timeout=0):
        """Removes and returns the first element of the list key, waiting up to timeout seconds (0: forever);
        None when nothing arrived in time."""
        answer = self.client.blpop([key], timeout=timeout)
        return None if answer is None else answer[1]
