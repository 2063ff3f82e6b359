"""6200.trip-booking, state "cancel_flight": compensation, cancels the flight reservation of a trip.

Event: the payload of the failed state plus "error", or the result of the previous cancel_* state:
{"trip_id": T, "bookings": {...}, "cancelled": [...]?, "error": {...}?, ...}.
When "bookings" holds a "flight" id, deletes that row (keys ("trip_id", T), ("flight_id", id)) from
the NoSQL table "flights" and appends "flight" to "cancelled"; otherwise (the failure came before
the flight was reserved) nothing is deleted or appended.
Returns the event (without "request-id") with the flight removed from "bookings" and "cancelled"
updated; the next state is cancel_rental.
"""

from . import saga


def handler(event):
    _, bookings, cancelled = saga.cancel(event, "flight", "flights", "flight_id")
    return saga.passed_on(event, bookings, cancelled)
