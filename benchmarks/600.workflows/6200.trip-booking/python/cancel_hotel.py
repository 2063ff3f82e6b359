"""6200.trip-booking, state "cancel_hotel": compensation, cancels the hotel reservation of a trip.

Event: the payload of the failed state plus "error", or the result of the previous cancel_* state:
{"trip_id": T, "bookings": {...}, "cancelled": [...]?, "error": {...}?, ...}.
When "bookings" holds a "hotel" id, deletes that row (keys ("trip_id", T), ("booking_id", id)) from
the NoSQL table "hotel_booking" and appends "hotel" to "cancelled"; otherwise (the failure came
before the hotel was reserved) nothing is deleted or appended.
The last compensation: returns the output of the failed trip,
{"trip_id": T, "status": "failure", "cancelled": [...]} (the cancelled reservations in order).
"""

from . import saga


def handler(event):
    trip_id, _, cancelled = saga.cancel(event, "hotel", "hotel_booking", "booking_id")
    return {"trip_id": trip_id, "status": "failure", "cancelled": cancelled}
