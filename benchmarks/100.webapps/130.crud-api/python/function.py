"""130.crud-api: a shopping-cart API over the NoSQL table "shopping_cart".

An event holds "requests", a list of {"route", "body"[, "path"]} served in order (the result is the
list of answers), or is a single such request (the result is its answer). Routes:
  PUT /cart        stores body's product row in cart body["cart"]
  GET /cart/{id}   the row of product path["id"] in cart body["cart"], or None
  GET /cart        every row of cart body["cart"] with the totals
"""

import time

from . import nosql

TABLE = "shopping_cart"
PRIMARY_KEY = "cart_id"
SECONDARY_KEY = "product_id"

client = nosql.nosql.get_instance()


def _number(value, what):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("%s must be a number, got %r" % (what, value))
    return value


def _row(item):
    return {
        "cart_id": item[PRIMARY_KEY],
        "product_id": item[SECONDARY_KEY],
        "name": item.get("name"),
        "price": item.get("price"),
        "quantity": item.get("quantity"),
    }


def put_product(body):
    cart, product_id = body["cart"], body["product_id"]
    client.insert(TABLE, (PRIMARY_KEY, cart), (SECONDARY_KEY, product_id), {
        "name": body["name"],
        "price": _number(body["price"], "price"),
        "quantity": _number(body["quantity"], "quantity"),
    })
    return {"cart_id": cart, "product_id": product_id}


def get_product(cart, product_id):
    item = client.get(TABLE, (PRIMARY_KEY, cart), (SECONDARY_KEY, product_id))
    return None if item is None else _row(item)


def get_cart(cart):
    rows = sorted((_row(item) for item in client.query(TABLE, (PRIMARY_KEY, cart), SECONDARY_KEY)),
                  key=lambda row: row["product_id"])
    total_quantity = sum(row["quantity"] for row in rows)
    total_cost = sum(row["price"] * row["quantity"] for row in rows)
    return {
        "cart_id": cart,
        "products": rows,
        "total_quantity": total_quantity,
        "total_cost": total_cost,
        "avg_price": total_cost / total_quantity if total_quantity else 0.0,
    }


def serve(request):
    route = request.get("route")
    body = request.get("body") or {}
    if route == "PUT /cart":
        return put_product(body)
    if route == "GET /cart/{id}":
        return get_product(body["cart"], request["path"]["id"])
    if route == "GET /cart":
        return get_cart(body["cart"])
    raise ValueError("unknown route %r; known: PUT /cart, GET /cart/{id}, GET /cart" % (route,))


def handler(event):
    begin = time.perf_counter_ns()
    if "requests" in event:
        requests = event["requests"]
        if not isinstance(requests, list):
            raise ValueError("event['requests'] must be a list of requests")
        result = [serve(request) for request in requests]
        count = len(requests)
    else:
        result = serve(event)
        count = 1
    return {
        "result": result,
        "measurement": {"requests": count, "compute_time": (time.perf_counter_ns() - begin) // 1000},
    }
