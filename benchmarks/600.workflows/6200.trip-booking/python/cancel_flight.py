"""6200.trip-booking, state "cancel_flight": compensation, cancels the flight reservation of a trip.

Event: the payload of the failed state plus "error", or the result of the previous cancel_* state:
{"trip_id": T, "bookings": {...}, "cancelled": [...]?, "error": {...}?, ...}.
When "bookings" holds a "flight" id, deletes that row (keys ("trip_id", T), ("flight_id", id)) from
the NoSQL table "flights" and appends "flight" to "cancelled"; otherwise (the failure came before
the flight was reserved) nothing is deleted or appended.
Returns the event (without "request-id") with the flight removed from "bookings" and "cancelled"
updated; the next state is cancel_rental.
"""

from . import nosql

KIND = "flight"
TABLE = "flights"
PRIMARY_KEY = "trip_id"
SECONDARY_KEY = "flight_id"

client = nosql.nosql.get_instance()


def handler(event):
    trip_id = event.get("trip_id")
    if not isinstance(trip_id, str) or not trip_id:
        raise ValueError("event['trip_id'] must be a non-empty string, got %r" % (trip_id,))
    bookings = dict(event.get("bookings") or {})
    cancelled = list(event.get("cancelled") or [])
    booking_id = bookings.pop(KIND, None)
    if booking_id:
        client.delete(TABLE, (PRIMARY_KEY, trip_id), (SECONDARY_KEY, booking_id))
        cancelled.append(KIND)
    result = {k: v for k, v in event.items() if k != "request-id"}
    result["bookings"] = bookings
    result["cancelled"] = cancelled
    return result
