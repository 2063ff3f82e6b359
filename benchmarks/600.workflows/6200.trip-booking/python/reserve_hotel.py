"""6200.trip-booking, state "reserve_hotel": reserves the hotel of a trip (status "pending").

Event: {"trip_id": T, "fail_at": ..., "trip": {...}, "bookings": {...}?, "request-id": R}.
Inserts a row into the NoSQL table "hotel_booking" with keys ("trip_id", T), ("booking_id", R) and
{"status": "pending", "hotel": ..., "nights": ...} (values from event["trip"]).
The booking id R is the "request-id" of this execution (a fresh UUID when the event has none).
Returns the event (without "request-id") with "bookings" extended by {"hotel": R}.

When event["fail_at"] is "reserve_hotel" it raises ReservationFailed before writing anything,
so the workflow's failure transition runs the compensations.
"""

import uuid

from . import nosql

STATE = "reserve_hotel"
KIND = "hotel"
TABLE = "hotel_booking"
PRIMARY_KEY = "trip_id"
SECONDARY_KEY = "booking_id"

client = nosql.nosql.get_instance()


class ReservationFailed(Exception):
    """The reservation was refused (here: on purpose, as the input's "fail_at" asks)."""


def handler(event):
    trip_id = event.get("trip_id")
    if not isinstance(trip_id, str) or not trip_id:
        raise ValueError("event['trip_id'] must be a non-empty string, got %r" % (trip_id,))
    if event.get("fail_at") == STATE:
        raise ReservationFailed("no room available for trip %s (fail_at is %s)" % (trip_id, STATE))
    booking_id = event.get("request-id") or uuid.uuid4().hex
    trip = event.get("trip") or {}
    client.insert(TABLE, (PRIMARY_KEY, trip_id), (SECONDARY_KEY, booking_id),
                  {"status": "pending",
                   "hotel": str(trip.get("hotel", "")),
                   "nights": int(trip.get("nights", 1))})
    result = {k: v for k, v in event.items() if k != "request-id"}
    bookings = dict(event.get("bookings") or {})
    bookings[KIND] = booking_id
    result["bookings"] = bookings
    return result
