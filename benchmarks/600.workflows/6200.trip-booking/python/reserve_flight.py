"""6200.trip-booking, state "reserve_flight": reserves the flight of a trip (status "pending").

Event: {"trip_id": T, "fail_at": ..., "trip": {...}, "bookings": {...}?, "request-id": R}.
Inserts a row into the NoSQL table "flights" with keys ("trip_id", T), ("flight_id", R) and
{"status": "pending", "route": ..., "passengers": ...} (values from event["trip"]).
The booking id R is the "request-id" of this execution (a fresh UUID when the event has none).
Returns the event (without "request-id") with "bookings" extended by {"flight": R}.

When event["fail_at"] is "reserve_flight" it raises ReservationFailed before writing anything,
so the workflow's failure transition runs the compensations.
"""

from . import saga


def handler(event):
    trip = event.get("trip") or {}
    return saga.reserve(event, "reserve_flight", "flight", "flights", "flight_id", "no seat available",
                        {"route": str(trip.get("route", "")), "passengers": int(trip.get("passengers", 1))})
