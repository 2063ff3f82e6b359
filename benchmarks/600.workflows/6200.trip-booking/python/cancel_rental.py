"""6200.trip-booking, state "cancel_rental": compensation, cancels the rental reservation of a trip.

Event: the payload of the failed state plus "error", or the result of the previous cancel_* state:
{"trip_id": T, "bookings": {...}, "cancelled": [...]?, "error": {...}?, ...}.
When "bookings" holds a "rental" id, deletes that row (keys ("trip_id", T), ("rental_id", id)) from
the NoSQL table "car_rentals" and appends "rental" to "cancelled"; otherwise (the failure came
before the rental was reserved) nothing is deleted or appended.
Returns the event (without "request-id") with the rental removed from "bookings" and "cancelled"
updated; the next state is cancel_hotel.
"""

from . import saga


def handler(event):
    _, bookings, cancelled = saga.cancel(event, "rental", "car_rentals", "rental_id")
    return saga.passed_on(event, bookings, cancelled)
