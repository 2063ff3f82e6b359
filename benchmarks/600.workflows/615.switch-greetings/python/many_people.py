"""615.switch-greetings, state "many_people": the switch "choose" comes here for 10 people or more.

Event: {"people": {"number": n, "list": [...]}, ...}. Returns the event (without "request-id") with
"branch": "many" added; the people are kept unchanged for the map state that greets them.
"""

BRANCH = "many"


def handler(event):
    people = event.get("people")
    if not isinstance(people, dict) or not isinstance(people.get("list"), list):
        raise ValueError("event['people'] must be {\"number\": n, \"list\": [...]}, got %r" % (people,))
    result = {k: v for k, v in event.items() if k != "request-id"}
    result["branch"] = BRANCH
    return result
