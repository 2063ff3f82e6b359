"""695.parallel-stats, state "generate": a deterministic list of numbers, also cut into chunks.

Event: {"count": n, "chunk_count": k, "seed": s, "bins": b, "limit": L} (n, k, b, L >= 1, s >= 0).
The numbers come from a linear congruential generator, so any language can reproduce them:
    x_0 = s mod 2^31;  x_{i+1} = (1103515245 * x_i + 12345) mod 2^31;  number_i = (x_{i+1} >> 8) mod L
for i = 0 .. n-1. Chunk j holds numbers[j*n//k : (j+1)*n//k] (consecutive, sizes differ by at most one).
Returns {"numbers": [...], "chunks": [[...], ...], "bins": b, "limit": L}.
"""

MODULUS = 2 ** 31
MULTIPLIER = 1103515245
INCREMENT = 12345


def numbers(count, seed, limit):
    x = seed % MODULUS
    out = []
    for _ in range(count):
        x = (MULTIPLIER * x + INCREMENT) % MODULUS
        out.append((x >> 8) % limit)
    return out


def _int(event, name, minimum):
    value = event.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError("event[%r] must be an integer >= %d, got %r" % (name, minimum, value))
    return value


def handler(event):
    count = _int(event, "count", 1)
    chunk_count = _int(event, "chunk_count", 1)
    seed = _int(event, "seed", 0)
    bins = _int(event, "bins", 1)
    limit = _int(event, "limit", 1)
    values = numbers(count, seed, limit)
    chunks = [values[j * count // chunk_count:(j + 1) * count // chunk_count] for j in range(chunk_count)]
    return {"numbers": values, "chunks": chunks, "bins": bins, "limit": limit}
