"""Input generation and output validation for 020.network-benchmark.

UDP ping-pong between the function and a server the experiment runs (in sebs-junit:
io.sebs.junit.experiment.clock.TimestampServer in the test JVM): the distribution of round-trip
times between the function and the experiment's host.

    event  = {"server-address": <host>, "server-port": <port>, "repetitions": <exchanges>,
              "request-id": <text, optional>, "timeout": <s per reply, optional, default 1>}
    result = {"request-id": ..., "unit": "us", "lost": <datagrams without a reply>,
              "exchanges": [{"id": i, "client_send": t1, "client_rcv": t4
                             [, "server_rcv": t2, "server_send": t3]}, ...]}

client_send/client_rcv are the function's send and receive times (SeBS's CSV columns, in seconds
there; integer epoch microseconds here). A plain echo server works (the round trip is then
client_rcv - client_send); a server that appends " <receive> <send>" stamps to its echo also gets
server_rcv/server_send reported, so its own processing time can be subtracted, as SeBS does with the
times its server records. Exchange 0 only warms the path up and is not reported, as in SeBS.

The server address and port exist only while an experiment runs, so the caller adds them to the
generated event (as SeBS's experiment does). Unlike SeBS, the function returns the times in its result
instead of uploading a CSV, so no bucket is needed.
"""

# Exchanges per invocation for each named size.
REPETITIONS = {"test": 100, "small": 1000, "large": 10000}


def buckets_count():
    """No storage: the times come back in the result."""
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in REPETITIONS:
        raise ValueError("unknown size %r for 020.network-benchmark; valid sizes: %s"
                         % (size, ", ".join(REPETITIONS)))
    return {"repetitions": REPETITIONS[size], "timeout": 1.0}


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _output_is_valid(input_config, output, language):
    """Every exchange has integer send/receive times with receive >= send, and the reported exchanges
    plus the lost ones add up to the requested repetitions."""
    if not isinstance(output, dict) or not isinstance(output.get("exchanges"), list):
        return False
    lost = output.get("lost")
    if not _is_int(lost) or lost < 0:
        return False
    for e in output["exchanges"]:
        if not isinstance(e, dict):
            return False
        t1, t4 = e.get("client_send"), e.get("client_rcv")
        if not _is_int(t1) or not _is_int(t4) or t4 < t1:
            return False
        if "server_rcv" in e or "server_send" in e:
            t2, t3 = e.get("server_rcv"), e.get("server_send")
            if not _is_int(t2) or not _is_int(t3) or t3 < t2:
                return False
    requested = input_config.get("repetitions") if isinstance(input_config, dict) else None
    return not _is_int(requested) or len(output["exchanges"]) + lost == requested


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ('every exchange needs integer send/receive times (receive >= send), and exchanges plus lost ones must add up to the requested repetitions', text if len(text) <= 300 else text[:300] + "...")
