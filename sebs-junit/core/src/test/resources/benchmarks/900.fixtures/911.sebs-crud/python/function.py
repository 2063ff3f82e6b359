# Fixture in SeBS master's conventions: the client is taken at import time, as SeBS's 130.crud-api does.
from . import nosql

client = nosql.nosql.get_instance()
TABLE = "loans"


def handler(event):
    results = []
    for request in event["requests"]:
        route, body = request["route"], request["body"]
        if route == "PUT /loans":
            client.insert(TABLE, ("reader_id", body["reader"]), ("book_id", body["book_id"]),
                          {"title": body["title"], "copies": body["copies"]})
            results.append({})
        elif route == "GET /loans/{id}":
            results.append(client.get(TABLE, ("reader_id", body["reader"]), ("book_id", request["path"]["id"])))
        elif route == "GET /loans":
            rows = client.query(TABLE, ("reader_id", body["reader"]), "book_id")
            results.append({"titles": sorted(row["title"] for row in rows),
                            "copies": sum(int(row["copies"]) for row in rows)})
        else:
            raise ValueError(f"unknown route {route}")
    return {"result": results}
