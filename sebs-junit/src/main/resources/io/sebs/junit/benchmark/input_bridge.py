"""sebs-junit input bridge: drives a benchmark's SeBS-style input.py for the Java side.

    python3 input_bridge.py generate <benchmark_dir> <size> <data_dir-or-empty>
        Calls generate_input(...) with recording upload/NoSQL callbacks and prints one JSON line:
        {"input": {...}, "uploads": [{"prefix_index": i, "key": k, "file": path}, ...],
         "nosql": [[benchmark, table, item, [pk_name, pk_value], [sk_name, sk_value]], ...],
         "buckets": [n_input, n_output]}

    python3 input_bridge.py validate <benchmark_dir> <language>
        Reads {"input": {...}, "outputs": [...]} on stdin and prints one JSON line:
        {"supported": false} when input.py has no validate_output, else
        {"supported": true, "results": [{"valid": bool, "reason": str or null}, ...]}

Whatever input.py prints goes to stderr, so stdout carries only the answer. Any failure exits with
code 2 and a one-line message on stderr. Python 3.8+, standard library only.
"""

import importlib.util
import inspect
import json
import os
import sys

# Importing input.py must not leave __pycache__/ folders in the benchmark catalogue.
sys.dont_write_bytecode = True

BENCHMARKS_BUCKET = "sebs-benchmarks"
# Positional order of SeBS's nosql_func(benchmark_name, table_name, item, primary_key, secondary_key);
# keyword arguments are put back in this order when input.py passes them by name.
NOSQL_PARAMS = ("benchmark", "table", "data", "primary_key", "secondary_key")


class BridgeError(Exception):
    pass


class _StdoutToStderr:
    """Sends everything written to stdout (sys.stdout and file descriptor 1) to stderr while active."""

    def __enter__(self):
        sys.stdout.flush()
        self._saved_fd = os.dup(1)
        os.dup2(2, 1)
        self._saved_stdout = sys.stdout
        sys.stdout = sys.stderr
        return self

    def __exit__(self, *exc):
        try:
            sys.stdout.flush()
        except Exception:
            pass
        sys.stdout = self._saved_stdout
        os.dup2(self._saved_fd, 1)
        os.close(self._saved_fd)
        return False


def _describe(e):
    return "%s: %s" % (type(e).__name__, e)


def _load_input_module(benchmark_dir):
    benchmark_dir = os.path.abspath(benchmark_dir)
    if not os.path.isdir(benchmark_dir):
        raise BridgeError("benchmark directory %s does not exist" % benchmark_dir)
    path = os.path.join(benchmark_dir, "input.py")
    if not os.path.isfile(path):
        raise BridgeError("no input.py in %s" % benchmark_dir)
    if benchmark_dir not in sys.path:
        sys.path.insert(0, benchmark_dir)
    spec = importlib.util.spec_from_file_location("sebs_benchmark_input", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as e:
        raise BridgeError("cannot import %s: %s" % (path, _describe(e)))
    return module, path


def _positional_capacity(func):
    """How many positional arguments func accepts (None = any number, *args)."""
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return None
    count = 0
    for p in params:
        if p.kind == p.VAR_POSITIONAL:
            return None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            count += 1
    return count


def _to_json_value(value):
    """Makes a recorded argument JSON-friendly (tuples become lists, unknown objects strings)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _to_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json_value(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return str(value)


def generate(benchmark_dir, size, data_dir):
    benchmark_name = os.path.basename(os.path.abspath(benchmark_dir).rstrip(os.sep))
    uploads, nosql = [], []

    def upload_func(bucket_idx, key, filepath):
        uploads.append({"prefix_index": int(bucket_idx), "key": str(key),
                        "file": os.path.abspath(os.fspath(filepath))})

    def nosql_func(*args, **kwargs):
        call = [_to_json_value(a) for a in args]
        for name in NOSQL_PARAMS[len(args):]:
            if name in kwargs:
                call.append(_to_json_value(kwargs.pop(name)))
        if kwargs:  # names SeBS does not use: keep them, after the positional ones
            call.append(_to_json_value(kwargs))
        nosql.append(call)

    with _StdoutToStderr():
        module, path = _load_input_module(benchmark_dir)
        generate_input = getattr(module, "generate_input", None)
        if not callable(generate_input):
            raise BridgeError("%s defines no generate_input(...)" % path)
        n_in, n_out = 0, 0
        if callable(getattr(module, "buckets_count", None)):
            try:
                n_in, n_out = (int(n) for n in module.buckets_count())
            except Exception as e:
                raise BridgeError("buckets_count() of %s failed: %s" % (path, _describe(e)))
        input_paths = ["%s-%d-input" % (benchmark_name, i) for i in range(n_in)]
        output_paths = ["%s-%d-output" % (benchmark_name, i) for i in range(n_out)]

        capacity = _positional_capacity(generate_input)
        if capacity is not None and capacity <= 5:
            # Older SeBS: generate_input(data_dir, size, input_buckets, output_buckets, upload_func)
            args = [data_dir, size, input_paths, output_paths, upload_func][:capacity]
        else:
            # Current SeBS: (data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func,
            # nosql_func); the variant without nosql_func takes the first six.
            args = [data_dir, size, BENCHMARKS_BUCKET, input_paths, output_paths, upload_func, nosql_func]
            if capacity is not None:
                args = args[:capacity]
        try:
            result = generate_input(*args)
        except Exception as e:
            hint = ""
            if isinstance(e, (KeyError, ValueError)) and str(size) in str(e):
                hint = " (is '%s' a size this benchmark knows?)" % size
            elif data_dir is None and isinstance(e, (TypeError, AttributeError, OSError)):
                hint = " (no data directory was given; does this benchmark need benchmarks-data?)"
            raise BridgeError("generate_input(size=%r) of %s failed: %s%s" % (size, path, _describe(e), hint))

    if not isinstance(result, dict):
        raise BridgeError("generate_input(size=%r) of %s returned %s instead of a dict"
                          % (size, path, type(result).__name__))
    answer = {"input": result, "uploads": uploads, "nosql": nosql, "buckets": [n_in, n_out]}
    try:
        return json.dumps(answer, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise BridgeError("generate_input(size=%r) of %s returned a value JSON cannot carry: %s"
                          % (size, path, _describe(e)))


def validate(benchmark_dir, language):
    try:
        request = json.loads(sys.stdin.read())
    except ValueError as e:
        raise BridgeError("stdin is not JSON: %s" % e)
    if not isinstance(request, dict) or not isinstance(request.get("outputs"), list):
        raise BridgeError('stdin must be {"input": {...}, "outputs": [...]}')
    input_config = request.get("input")
    results = []
    with _StdoutToStderr():
        module, path = _load_input_module(benchmark_dir)
        validate_output = getattr(module, "validate_output", None)
        if not callable(validate_output):
            return json.dumps({"supported": False})
        capacity = _positional_capacity(validate_output)
        capacity = 4 if capacity is None else min(capacity, 4)
        for output in request["outputs"]:
            args = [input_config, output, language, None][:capacity]
            try:
                verdict = validate_output(*args)
            except Exception as e:
                results.append({"valid": False, "reason": _describe(e)})
                continue
            reason = None
            if isinstance(verdict, (tuple, list)) and len(verdict) == 2 and isinstance(verdict[0], bool):
                verdict, reason = verdict  # (ok, why) is accepted too
                reason = None if reason is None else str(reason)
            valid = True if verdict is None else bool(verdict)
            if not valid and reason is None:
                reason = "validate_output returned %r" % (verdict,)
            results.append({"valid": valid, "reason": reason})
    return json.dumps({"supported": True, "results": results})


USAGE = ("usage: input_bridge.py generate <benchmark_dir> <size> <data_dir-or-empty> | "
         "input_bridge.py validate <benchmark_dir> <language> (JSON on stdin)")


def _error(message):
    sys.stderr.write("input_bridge: %s\n" % " ".join(message.split("\n")))
    sys.stderr.flush()
    return 2


def main(argv):
    try:
        if len(argv) == 5 and argv[1] == "generate":
            line = generate(argv[2], argv[3], argv[4] or None)
        elif len(argv) == 4 and argv[1] == "validate":
            line = validate(argv[2], argv[3])
        else:
            raise BridgeError("bad arguments %s; %s" % (argv[1:], USAGE))
    except BridgeError as e:
        return _error(str(e))
    except SystemExit as e:
        return _error("input.py called sys.exit(%r)" % (e.code,))
    except Exception as e:  # a bug here, or something input.py did at an odd time
        return _error("unexpected %s" % _describe(e))
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
