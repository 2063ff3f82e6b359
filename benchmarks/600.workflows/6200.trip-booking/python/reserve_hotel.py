"""6200.trip-booking, state "reserve_hotel": reserves the hotel of a trip (status "pending").

Event: {"trip_id": T, "fail_at": ..., "trip": {...}, "bookings": {...}?, "request-id": R}.
Inserts a row into the NoSQL table "hotel_booking" with keys ("trip_id", T), ("booking_id", R) and
{"status": "pending", "hotel": ..., "nights": ...} (values from event["trip"]).
The booking id R is the "request-id" of this execution (a fresh UUID when the event has none).
Returns the event (without "request-id") with "bookings" extended by {"hotel": R}.

When event["fail_at"] is "reserve_hotel" it raises ReservationFailed before writing anything,
so the workflow's failure transition runs the compensations.
"""

from . import saga


def handler(event):
    trip = event.get("trip") or {}
    return saga.reserve(event, "reserve_hotel", "hotel", "hotel_booking", "booking_id", "no room available",
                        {"hotel": str(trip.get("hotel", "")), "nights": int(trip.get("nights", 1))})
