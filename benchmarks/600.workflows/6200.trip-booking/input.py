"""Input generation for the workflow 6200.trip-booking: a saga with compensations over NoSQL.

A trip is a hotel stay, a car rental and a flight, each reserved in its own NoSQL table. If a step
fails, the reservations made so far are cancelled again in reverse order (the saga pattern, built
from the "failure" transitions of task states).

Tables (allocate_nosql), one row per reservation, partition key "trip_id":
    hotel_booking  sort key "booking_id"   row: status, hotel, nights
    car_rentals    sort key "rental_id"    row: status, car, days
    flights        sort key "flight_id"    row: status, route, passengers

Input (generate_input; the trip id is fresh per generated input, "trip-<32 hex>"):
    {"trip_id": T, "fail_at": null | "reserve_hotel" | "reserve_rental" | "reserve_flight" | "confirm",
     "trip": {"hotel": ..., "nights": ..., "car": ..., "days": ..., "route": ..., "passengers": ...}}

States (definition.json):
    reserve_hotel   task  next reserve_rental, failure cancel_hotel
    reserve_rental  task  next reserve_flight, failure cancel_hotel
    reserve_flight  task  next confirm,        failure cancel_rental
    confirm         task  (end on success),    failure cancel_flight
    cancel_flight   task  next cancel_rental
    cancel_rental   task  next cancel_hotel
    cancel_hotel    task  (end)
Each reserve_* takes the "request-id" of its own execution as the booking id, inserts a row with
status "pending" (keys (trip_id, T), (<sort key>, request-id)) and adds the id to the payload's
"bookings" ({"hotel": id, "rental": id, "flight": id}). confirm checks that the three rows are
pending and sets their status to "booked". The state named in "fail_at" raises before it writes
anything (reserve_*: ReservationFailed, confirm: ConfirmationFailed). A cancel_* deletes the row of
its booking when the payload has one and appends "flight" / "rental" / "hotel" to "cancelled"; with
no booking of its kind (the failure came before it) it does nothing and appends nothing.

Output: on success {"trip_id": T, "status": "success"}; after a compensation
{"trip_id": T, "status": "failure", "cancelled": [...]}, the cancelled reservations in the order
they were cancelled.

Per size:
    test   fail_at null
           executions: reserve_hotel, reserve_rental, reserve_flight, confirm (1 each)
           output {"trip_id": T, "status": "success"}
           tables: one row for T in each table, status "booked"
    small  fail_at "reserve_flight"
           executions: reserve_hotel, reserve_rental, reserve_flight (raises), cancel_rental, cancel_hotel
           output {"trip_id": T, "status": "failure", "cancelled": ["rental", "hotel"]}
           tables: no row for T left
    large  fail_at "confirm"
           executions: reserve_hotel, reserve_rental, reserve_flight, confirm (raises), cancel_flight,
                       cancel_rental, cancel_hotel
           output {"trip_id": T, "status": "failure", "cancelled": ["flight", "rental", "hotel"]}
           tables: no row for T left
(fail_at "reserve_hotel" gives cancel_hotel only and "cancelled": []; "reserve_rental" gives
cancel_hotel and ["hotel"].) Running the same input again books again under new booking ids, so
after n successful runs each table holds n rows for T.

No object storage is used; generate_input writes no rows.
"""

import uuid

TABLES = {
    "hotel_booking": {"primary_key": "trip_id", "secondary_key": "booking_id"},
    "car_rentals": {"primary_key": "trip_id", "secondary_key": "rental_id"},
    "flights": {"primary_key": "trip_id", "secondary_key": "flight_id"},
}

FAIL_AT = {"test": None, "small": "reserve_flight", "large": "confirm"}

TRIP = {"hotel": "Hotel Seeblick", "nights": 3, "car": "compact", "days": 3,
        "route": "ZRH-LIS", "passengers": 2}


def buckets_count():
    """No object storage."""
    return (0, 0)


def allocate_nosql():
    return {name: dict(keys) for name, keys in TABLES.items()}


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in FAIL_AT:
        raise ValueError("unknown size %r for 6200.trip-booking; valid sizes: %s"
                         % (size, ", ".join(FAIL_AT)))
    return {"trip_id": "trip-" + uuid.uuid4().hex, "fail_at": FAIL_AT[size], "trip": dict(TRIP)}


def expected_output(input_config):
    """The workflow's output for an input."""
    cancelled = {
        None: None,
        "reserve_hotel": [],
        "reserve_rental": ["hotel"],
        "reserve_flight": ["rental", "hotel"],
        "confirm": ["flight", "rental", "hotel"],
    }[input_config.get("fail_at")]
    if cancelled is None:
        return {"trip_id": input_config["trip_id"], "status": "success"}
    return {"trip_id": input_config["trip_id"], "status": "failure", "cancelled": cancelled}
