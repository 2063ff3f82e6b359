"""6200.trip-booking, state "confirm": turns the three pending reservations into bookings.

Event: {"trip_id": T, "fail_at": ..., "bookings": {"hotel": H, "rental": C, "flight": F}, ...}.
Checks that each reservation's row exists with status "pending", then sets the status of all three to
"booked" and returns {"trip_id": T, "status": "success"}.

When event["fail_at"] is "confirm" it raises ConfirmationFailed before changing anything (as it does,
with another message, when a reservation is missing or not pending), so the workflow's failure
transition cancels the flight, the rental and the hotel.
"""

from . import nosql

STATE = "confirm"
PRIMARY_KEY = "trip_id"
# kind in event["bookings"] -> (table, sort key)
RESERVATIONS = (
    ("hotel", "hotel_booking", "booking_id"),
    ("rental", "car_rentals", "rental_id"),
    ("flight", "flights", "flight_id"),
)

client = nosql.nosql.get_instance()


class ConfirmationFailed(Exception):
    """The trip could not be confirmed."""


def handler(event):
    trip_id = event.get("trip_id")
    if not isinstance(trip_id, str) or not trip_id:
        raise ValueError("event['trip_id'] must be a non-empty string, got %r" % (trip_id,))
    if event.get("fail_at") == STATE:
        raise ConfirmationFailed("payment declined for trip %s (fail_at is %s)" % (trip_id, STATE))
    bookings = event.get("bookings") or {}
    keys = []
    for kind, table, sort_key in RESERVATIONS:
        booking_id = bookings.get(kind)
        if not booking_id:
            raise ConfirmationFailed("trip %s has no %s reservation" % (trip_id, kind))
        key = (table, (PRIMARY_KEY, trip_id), (sort_key, booking_id))
        row = client.get(*key)
        if row is None or row.get("status") != "pending":
            raise ConfirmationFailed("the %s reservation %s of trip %s is %s, not pending"
                                     % (kind, booking_id, trip_id,
                                        "missing" if row is None else repr(row.get("status"))))
        keys.append(key)
    for table, primary_key, secondary_key in keys:
        client.update(table, primary_key, secondary_key, {"status": "booked"})
    return {"trip_id": trip_id, "status": "success"}
