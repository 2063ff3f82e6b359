"""615.switch-greetings, state "summarize": the workflow's result.

Event: {"people": {"number": n, "list": [greet results]}, "branch": b}. Returns
{"branch": b, "number": n, "greeted": <greet results>, "greetings": [greeting of each, in order]}.
"""


def handler(event):
    people = event.get("people") or {}
    greeted = people.get("list")
    if not isinstance(greeted, list):
        raise ValueError("event['people']['list'] must be the list of greet results")
    return {
        "branch": event.get("branch"),
        "number": people.get("number"),
        "greeted": len(greeted),
        "greetings": [g["greeting"] for g in greeted],
    }
