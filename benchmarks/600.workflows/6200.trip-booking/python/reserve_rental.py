"""6200.trip-booking, state "reserve_rental": reserves the rental of a trip (status "pending").

Event: {"trip_id": T, "fail_at": ..., "trip": {...}, "bookings": {...}?, "request-id": R}.
Inserts a row into the NoSQL table "car_rentals" with keys ("trip_id", T), ("rental_id", R) and
{"status": "pending", "car": ..., "days": ...} (values from event["trip"]).
The booking id R is the "request-id" of this execution (a fresh UUID when the event has none).
Returns the event (without "request-id") with "bookings" extended by {"rental": R}.

When event["fail_at"] is "reserve_rental" it raises ReservationFailed before writing anything,
so the workflow's failure transition runs the compensations.
"""

from . import saga


def handler(event):
    trip = event.get("trip") or {}
    return saga.reserve(event, "reserve_rental", "rental", "car_rentals", "rental_id", "no car available",
                        {"car": str(trip.get("car", "")), "days": int(trip.get("days", 1))})
