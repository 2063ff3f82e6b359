"""sebs-junit input bridge: drives a benchmark's SeBS-style input.py for the Java side.

    python3 input_bridge.py generate <benchmark_dir> <size> <data_dir-or-empty>
                                     [--bucket NAME] [--prefix-base NAME]
        Calls generate_input(...) with recording upload/NoSQL callbacks and prints one JSON line:
        {"input": {...},
         "uploads": [{"prefix_index": i, "key": k, "file": path,
                      "bucket": bucket, "object_key": input_prefixes[i] + "/" + k}, ...],
         "nosql": [[benchmark, table, item, [pk_name, pk_value], [sk_name, sk_value]], ...],
         "buckets": [n_input, n_output],
         "bucket": bucket,
         "input_prefixes": ["<base>-0-input", ...], "output_prefixes": ["<base>-0-output", ...],
         "nosql_tables": {"<table>": {"primary_key": "<name>", "secondary_key": "<name>"}, ...}}
        --bucket is the benchmarks bucket given to generate_input (default "sebs-benchmarks");
        --prefix-base names the prefixes "<base>-<i>-input" / "<base>-<i>-output" (default: the
        benchmark folder's name). buckets_count() of input.py gives how many of each (default 0, 0).
        "key" is what input.py passed to upload_func; "object_key" is the object to create in
        "bucket", as SeBS's upload_func does. "nosql_tables" is what input.py's allocate_nosql()
        returns (validated: each table needs a string "primary_key"; "secondary_key" is optional),
        or {} when input.py has no allocate_nosql; it is called before generate_input.

    python3 input_bridge.py validate <benchmark_dir> <language>
        Reads {"input": {...}, "outputs": [...], "data_dir": path or null} on stdin and prints one JSON
        line: {"supported": false} when input.py has no validate_output, else
        {"supported": true, "results": [{"valid": bool, "reason": str or null}, ...]}
        Each output is what the function's handler returned (the dict with "result"), and is passed as
        SeBS does: validate_output(data_dir, input_config, output, language, storage), storage None.
        The verdict is SeBS's: None when valid, else a string saying what is wrong (a bool, or a
        (bool, reason) pair, is accepted too).

Whatever input.py prints goes to stderr, so stdout carries only the answer. Any failure exits with
code 2 and a one-line message on stderr; a validate_output whose signature SeBS could not call exits
with code 3 (the benchmark's input.py must change). Python 3.8+, standard library only.
"""

import importlib.util
import inspect
import json
import os
import sys

# Importing input.py must not leave __pycache__/ folders in the benchmark catalogue.
sys.dont_write_bytecode = True

BENCHMARKS_BUCKET = "sebs-benchmarks"
# Optional trailing flags of "generate" and their defaults (None = the benchmark folder's name).
GENERATE_OPTIONS = {"--bucket": BENCHMARKS_BUCKET, "--prefix-base": None}
# Positional order of SeBS's nosql_func(benchmark_name, table_name, item, primary_key, secondary_key);
# keyword arguments are put back in this order when input.py passes them by name.
NOSQL_PARAMS = ("benchmark", "table", "data", "primary_key", "secondary_key")


class BridgeError(Exception):
    pass


class ConfigurationError(BridgeError):
    """The benchmark's input.py does not follow SeBS's interface: exit code 3."""


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


def _nosql_tables(module, path):
    """What input.py's allocate_nosql() returns (checked), or {} when it has none."""
    allocate_nosql = getattr(module, "allocate_nosql", None)
    if not callable(allocate_nosql):
        return {}
    try:
        tables = allocate_nosql()
    except Exception as e:
        raise BridgeError("allocate_nosql() of %s failed: %s" % (path, _describe(e)))
    if tables is None:
        return {}
    if not isinstance(tables, dict):
        raise BridgeError("allocate_nosql() of %s returned %s instead of a dict"
                          % (path, type(tables).__name__))
    checked = {}
    for name, spec in tables.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("primary_key"), str) \
                or not isinstance(spec.get("secondary_key", ""), (str, type(None))):
            raise BridgeError("allocate_nosql() of %s: table %r needs {\"primary_key\": name[, "
                              "\"secondary_key\": name]}, got %r" % (path, name, spec))
        checked[str(name)] = _to_json_value(spec)
    return checked


def generate(benchmark_dir, size, data_dir, bucket=BENCHMARKS_BUCKET, prefix_base=None):
    benchmark_name = os.path.basename(os.path.abspath(benchmark_dir).rstrip(os.sep))
    if prefix_base is None:
        prefix_base = benchmark_name
    uploads, nosql = [], []
    input_paths, output_paths = [], []

    def upload_func(bucket_idx, key, filepath):
        index = int(bucket_idx)
        if not 0 <= index < len(input_paths):
            raise IndexError("upload_func(%r, %r, ...): input prefix %d does not exist, buckets_count() "
                             "gives %d input prefix(es)" % (bucket_idx, key, index, len(input_paths)))
        key = str(key)
        uploads.append({"prefix_index": index, "key": key, "file": os.path.abspath(os.fspath(filepath)),
                        "bucket": bucket, "object_key": input_paths[index] + "/" + key})

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
        input_paths.extend("%s-%d-input" % (prefix_base, i) for i in range(n_in))
        output_paths.extend("%s-%d-output" % (prefix_base, i) for i in range(n_out))
        nosql_tables = _nosql_tables(module, path)

        capacity = _positional_capacity(generate_input)
        if capacity is not None and capacity <= 5:
            # Older SeBS: generate_input(data_dir, size, input_buckets, output_buckets, upload_func)
            args = [data_dir, size, input_paths, output_paths, upload_func][:capacity]
        else:
            # Current SeBS: (data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func,
            # nosql_func); the variant without nosql_func takes the first six.
            args = [data_dir, size, bucket, input_paths, output_paths, upload_func, nosql_func]
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
    answer = {"input": result, "uploads": uploads, "nosql": nosql, "buckets": [n_in, n_out],
              "bucket": bucket, "input_prefixes": input_paths, "output_prefixes": output_paths,
              "nosql_tables": nosql_tables}
    try:
        return json.dumps(answer, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise BridgeError("generate_input(size=%r) of %s returned a value JSON cannot carry: %s"
                          % (size, path, _describe(e)))


# SeBS calls validate_output(data_dir, input_config, output, language, storage) positionally.
VALIDATE_PARAMS = ("data_dir", "input_config", "output", "language", "storage")


def _verdict(value):
    """SeBS's verdict (None: valid; a string: why not) as (valid, reason); bools and (bool, reason) too."""
    if value is None:
        return True, None
    if isinstance(value, str):
        return False, value
    if isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[0], bool):
        ok, reason = value
        if ok:
            return True, None
        return False, "validate_output returned %r" % (value,) if reason is None else str(reason)
    if isinstance(value, bool):
        return value, None if value else "validate_output returned False"
    return False, "validate_output returned %r; SeBS's validators return None when the output is valid, " \
                  "else a string saying what is wrong" % (value,)


def validate(benchmark_dir, language):
    try:
        request = json.loads(sys.stdin.read())
    except ValueError as e:
        raise BridgeError("stdin is not JSON: %s" % e)
    if not isinstance(request, dict) or not isinstance(request.get("outputs"), list):
        raise BridgeError('stdin must be {"input": {...}, "outputs": [...], "data_dir": path or null}')
    input_config = request.get("input")
    data_dir = request.get("data_dir") or None
    results = []
    with _StdoutToStderr():
        module, path = _load_input_module(benchmark_dir)
        validate_output = getattr(module, "validate_output", None)
        if not callable(validate_output):
            return json.dumps({"supported": False})
        capacity = _positional_capacity(validate_output)
        if capacity is not None and capacity < len(VALIDATE_PARAMS):
            try:
                signature = str(inspect.signature(validate_output))
            except (TypeError, ValueError):
                signature = "(...)"
            raise ConfigurationError(
                "validate_output%s in %s cannot take SeBS's arguments: SeBS calls validate_output(%s) and "
                "reads the function's whole return value from output (output.get('result')); change it to "
                "def validate_output(data_dir, input_config, output, language, storage=None) returning None "
                "or a string saying what is wrong" % (signature, path, ", ".join(VALIDATE_PARAMS)))
        for output in request["outputs"]:
            try:
                valid, reason = _verdict(validate_output(data_dir, input_config, output, language, None))
            except Exception as e:
                valid, reason = False, _describe(e)
            results.append({"valid": valid, "reason": reason})
    return json.dumps({"supported": True, "results": results})


USAGE = ("usage: input_bridge.py generate <benchmark_dir> <size> <data_dir-or-empty> "
         "[--bucket NAME] [--prefix-base NAME] | "
         "input_bridge.py validate <benchmark_dir> <language> (JSON on stdin)")


def _generate_options(args):
    """Parses the optional trailing flags of "generate" ("--flag VALUE" or "--flag=VALUE")."""
    options = dict(GENERATE_OPTIONS)
    seen = set()
    i = 0
    while i < len(args):
        flag, value = args[i], None
        if flag.startswith("--") and "=" in flag:
            flag, value = flag.split("=", 1)
        elif i + 1 < len(args) and not args[i + 1].startswith("--"):
            value = args[i + 1]
            i += 1
        if flag not in options:
            raise BridgeError("unknown option %r; %s" % (flag, USAGE))
        if flag in seen:
            raise BridgeError("option %s given twice" % flag)
        if not value:
            raise BridgeError("option %s needs a non-empty value" % flag)
        seen.add(flag)
        options[flag] = value
        i += 1
    return options["--bucket"], options["--prefix-base"]


def _error(message):
    sys.stderr.write("input_bridge: %s\n" % " ".join(message.split("\n")))
    sys.stderr.flush()
    return 2


def main(argv):
    try:
        if len(argv) >= 5 and argv[1] == "generate":
            bucket, prefix_base = _generate_options(argv[5:])
            line = generate(argv[2], argv[3], argv[4] or None, bucket, prefix_base)
        elif len(argv) == 4 and argv[1] == "validate":
            line = validate(argv[2], argv[3])
        else:
            raise BridgeError("bad arguments %s; %s" % (argv[1:], USAGE))
    except ConfigurationError as e:
        _error(str(e))
        return 3
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
