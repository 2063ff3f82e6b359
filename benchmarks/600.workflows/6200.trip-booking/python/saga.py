"""6200.trip-booking: what the reservation and compensation states share (not a state itself).

Each reservation kind is one NoSQL table with partition key "trip_id" and its own sort key; a
reservation inserts a "pending" row keyed by the execution's "request-id", a compensation deletes it.
"""

import uuid

from . import nosql

PRIMARY_KEY = "trip_id"

client = nosql.nosql.get_instance()


class ReservationFailed(Exception):
    """The reservation was refused (here: on purpose, as the input's "fail_at" asks)."""


def trip_id_of(event):
    trip_id = event.get("trip_id")
    if not isinstance(trip_id, str) or not trip_id:
        raise ValueError("event['trip_id'] must be a non-empty string, got %r" % (trip_id,))
    return trip_id


def reserve(event, state, kind, table, secondary_key, refusal, row):
    """Inserts {"status": "pending", **row} under (trip_id, request-id) unless event["fail_at"] names
    this state (then raises ReservationFailed with refusal, before writing anything); returns the event
    without "request-id", with "bookings" extended by {kind: request-id}."""
    trip_id = trip_id_of(event)
    if event.get("fail_at") == state:
        raise ReservationFailed("%s for trip %s (fail_at is %s)" % (refusal, trip_id, state))
    booking_id = event.get("request-id") or uuid.uuid4().hex
    client.insert(table, (PRIMARY_KEY, trip_id), (secondary_key, booking_id), dict({"status": "pending"}, **row))
    result = {k: v for k, v in event.items() if k != "request-id"}
    bookings = dict(event.get("bookings") or {})
    bookings[kind] = booking_id
    result["bookings"] = bookings
    return result


def cancel(event, kind, table, secondary_key):
    """Deletes the booking of this kind when "bookings" holds one and appends kind to "cancelled";
    returns (trip id, remaining bookings, cancelled)."""
    trip_id = trip_id_of(event)
    bookings = dict(event.get("bookings") or {})
    cancelled = list(event.get("cancelled") or [])
    booking_id = bookings.pop(kind, None)
    if booking_id:
        client.delete(table, (PRIMARY_KEY, trip_id), (secondary_key, booking_id))
        cancelled.append(kind)
    return trip_id, bookings, cancelled


def passed_on(event, bookings, cancelled):
    """The event for the next compensation: without "request-id", bookings and cancelled updated."""
    result = {k: v for k, v in event.items() if k != "request-id"}
    result["bookings"] = bookings
    result["cancelled"] = cancelled
    return result
