"""Input generation and output validation for 130.crud-api.

A shopping-cart API over one NoSQL table, "shopping_cart" (partition key "cart_id", sort key
"product_id"; every row holds "name", "price" and "quantity"). As in SeBS, one event carries a list
of HTTP-like requests that the function serves in order:

    {"requests": [
        {"route": "PUT /cart", "body": {"cart": C, "product_id": P, "name": N, "price": X, "quantity": Q}},
        {"route": "GET /cart/{id}", "path": {"id": P}, "body": {"cart": C}},
        {"route": "GET /cart", "body": {"cart": C}}]}

and the result is the list of the answers, one per request:

    PUT /cart       -> {"cart_id": C, "product_id": P}  (the row is stored, replacing an older one)
    GET /cart/{id}  -> {"cart_id", "product_id", "name", "price", "quantity"}, or null if absent
    GET /cart       -> {"cart_id": C, "products": [rows sorted by product_id],
                        "total_quantity": sum of quantity, "total_cost": sum of price * quantity,
                        "avg_price": total_cost / total_quantity (0 for an empty cart)}

An event with "route" at the top level instead of "requests" is a single request; the result is
then its answer alone. (SeBS's totals differ: it sums the unit prices into "total_cost" and divides
that by the quantity for "avg_price"; here the total is what the cart costs.)

generate_input seeds a cart with CATALOGUE via nosql_func (cart id "seeded-<random hex>", fresh per
generation) and returns requests reading it back; "large" also writes a second cart first. Since the
input is generated once per run and shared by the languages, repeating an event gives the same
answers. validate_output replays the requests: rows written earlier in the event must read back as
written, rows of a "seeded-" cart as in CATALOGUE (all of them listed), and totals must add up. So
do not write into a "seeded-" cart from other events.
"""

import math
import uuid

TABLE = "shopping_cart"
PRIMARY_KEY = "cart_id"
SECONDARY_KEY = "product_id"

# The products seeded into the read cart: product_id -> (name, unit price, quantity).
CATALOGUE = {
    "game-gothic": ("Gothic", 42.0, 2),
    "game-gothic-2": ("Gothic II", 14.25, 3),
    "book-sebs": ("Serverless Benchmark Suite", 100.0, 1),
    "os-mint-linux": ("Mint Linux", 0.0, 5),
    "mug-lambda": ("Lambda mug", 7.5, 4),
}

# Carts seeded by generate_input have ids starting with this; validate_output then knows their rows.
SEEDED_PREFIX = "seeded-"

SIZES = ("test", "small", "large")
# Products written to the second cart for "large".
LARGE_PUTS = 20


def buckets_count():
    """No object storage."""
    return (0, 0)


def allocate_nosql():
    return {TABLE: {"primary_key": PRIMARY_KEY, "secondary_key": SECONDARY_KEY}}


def _get_one(cart, product_id):
    return {"route": "GET /cart/{id}", "path": {"id": product_id}, "body": {"cart": cart}}


def _get_cart(cart):
    return {"route": "GET /cart", "body": {"cart": cart}}


def _put(cart, product_id, name, price, quantity):
    return {"route": "PUT /cart", "body": {"cart": cart, "product_id": product_id, "name": name,
                                           "price": price, "quantity": quantity}}


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in SIZES:
        raise ValueError("unknown size %r for 130.crud-api; valid sizes: %s" % (size, ", ".join(SIZES)))
    read_cart = SEEDED_PREFIX + uuid.uuid4().hex
    for product_id, (name, price, quantity) in CATALOGUE.items():
        nosql_func("130.crud-api", TABLE, {"name": name, "price": price, "quantity": quantity},
                   (PRIMARY_KEY, read_cart), (SECONDARY_KEY, product_id))

    if size == "test":
        requests = [_get_one(read_cart, "game-gothic"), _get_cart(read_cart)]
    elif size == "small":
        requests = [_get_one(read_cart, p) for p in CATALOGUE]
        requests.append(_get_one(read_cart, "not-in-the-cart"))
        requests.append(_get_cart(read_cart))
    else:
        write_cart = "cart-" + uuid.uuid4().hex
        requests = [_put(write_cart, "item-%03d" % i, "Item %d" % i, round(1.25 * i, 2), 1 + i % 4)
                    for i in range(LARGE_PUTS)]
        requests.append(_get_one(write_cart, "item-007"))
        requests.append(_get_cart(write_cart))
        requests.append(_get_cart(read_cart))
    return {"requests": requests}


# ---------------------------------------------------------------- validation

def _close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def _is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _same_row(row, cart, product_id, name, price, quantity):
    return (isinstance(row, dict) and row.get("cart_id") == cart and row.get("product_id") == product_id
            and row.get("name") == name and _is_number(row.get("price")) and _close(row["price"], price)
            and _is_number(row.get("quantity")) and row["quantity"] == quantity)


def _seeded(cart):
    return isinstance(cart, str) and cart.startswith(SEEDED_PREFIX)


def _expected(known, cart, product_id):
    """What a row must hold: as written earlier in this event, else as seeded, else unknown (None)."""
    if (cart, product_id) in known:
        return known[(cart, product_id)]
    return CATALOGUE.get(product_id) if _seeded(cart) else None


def _check_cart(answer, cart, known):
    if not isinstance(answer, dict) or answer.get("cart_id") != cart:
        return False
    products = answer.get("products")
    if not isinstance(products, list):
        return False
    ids = [p.get("product_id") if isinstance(p, dict) else None for p in products]
    if any(not isinstance(i, str) for i in ids) or ids != sorted(ids) or len(set(ids)) != len(ids):
        return False
    cost, quantity = 0.0, 0
    for row, product_id in zip(products, ids):
        expected = _expected(known, cart, product_id)
        if expected is not None:
            if not _same_row(row, cart, product_id, *expected):
                return False
        elif not (_is_number(row.get("price")) and _is_number(row.get("quantity"))):
            return False
        cost += row["price"] * row["quantity"]
        quantity += row["quantity"]
    # every row this event wrote into the cart, and every seeded one, must be listed
    if any(c == cart and p not in ids for (c, p) in known):
        return False
    if _seeded(cart) and any(p not in ids for p in CATALOGUE):
        return False
    if not (_is_number(answer.get("total_quantity")) and answer["total_quantity"] == quantity):
        return False
    if not (_is_number(answer.get("total_cost")) and _close(answer["total_cost"], cost)):
        return False
    avg = cost / quantity if quantity else 0.0
    return _is_number(answer.get("avg_price")) and _close(answer["avg_price"], avg)


def _check(request, answer, known):
    route = request.get("route")
    body = request.get("body") or {}
    cart = body.get("cart")
    if route == "PUT /cart":
        product_id = body.get("product_id")
        if answer != {"cart_id": cart, "product_id": product_id}:
            return False
        known[(cart, product_id)] = (body.get("name"), body.get("price"), body.get("quantity"))
        return True
    if route == "GET /cart/{id}":
        product_id = (request.get("path") or {}).get("id")
        expected = _expected(known, cart, product_id)
        if expected is not None:
            return _same_row(answer, cart, product_id, *expected)
        return answer is None or (isinstance(answer, dict) and answer.get("cart_id") == cart
                                  and answer.get("product_id") == product_id
                                  and _is_number(answer.get("price"))
                                  and _is_number(answer.get("quantity")))
    if route == "GET /cart":
        return _check_cart(answer, cart, known)
    return False


def _output_is_valid(input_config, output, language):
    """Replays the requests: rows written by the event must read back as written, CATALOGUE products
    with their catalogue values, and cart totals must add up over the listed rows."""
    try:
        if "requests" in input_config:
            requests, answers = input_config["requests"], output
            if not isinstance(requests, list) or not isinstance(answers, list) \
                    or len(requests) != len(answers):
                return False
        else:
            requests, answers = [input_config], [output]
        known = {}
        for request, answer in zip(requests, answers):
            if not isinstance(request, dict) or not _check(request, answer, known):
                return False
        return True
    except Exception:
        return False


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ('replayed requests must read back rows as written, catalogue products with their values, and cart totals that add up', text if len(text) <= 300 else text[:300] + "...")
