"""6200.trip-booking, state "cancel_hotel": compensation, cancels the hotel reservation of a trip.

Event: the payload of the failed state plus "error", or the result of the previous cancel_* state:
{"trip_id": T, "bookings": {...}, "cancelled": [...]?, "error": {...}?, ...}.
When "bookings" holds a "hotel" id, deletes that row (keys ("trip_id", T), ("booking_id", id)) from
the NoSQL table "hotel_booking" and appends "hotel" to "cancelled"; otherwise (the failure came
before the hotel was reserved) nothing is deleted or appended.
The last compensation: returns the output of the failed trip,
{"trip_id": T, "status": "failure", "cancelled": [...]} (the cancelled reservations in order).
"""

from . import nosql

KIND = "hotel"
TABLE = "hotel_booking"
PRIMARY_KEY = "trip_id"
SECONDARY_KEY = "booking_id"

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
    return {"trip_id": trip_id, "status": "failure", "cancelled": cancelled}
