"""615.switch-greetings, state "few_people": the switch "choose" comes here for fewer than 10 people (and the default).

Event: {"people": {"number": n, "list": [...]}, ...}. Returns the event (without "request-id") with
"branch": "few" added; the people are kept unchanged for the map state that greets them.
"""

BRANCH = "few"


def handler(event):
    people = event.get("people")
    if not isinstance(people, dict) or not isinstance(people.get("list"), list):
        raise ValueError("event['people'] must be {\"number\": n, \"list\": [...]}, got %r" % (people,))
    result = {k: v for k, v in event.items() if k != "request-id"}
    result["branch"] = BRANCH
    return result
