"""615.switch-greetings, state "greet" (inside the map state over "people.list"): greets one person.

Event (common_params "branch"): {"array_element": {"id": i, "name": N}, "branch": "few" | "many"}.
Returns {"id": i, "name": N, "greeting": G} with G "Welcome, N!" for a few people and
"Hello, N!" for many.
"""

GREETINGS = {"few": "Welcome, %s!", "many": "Hello, %s!"}


def handler(event):
    person = event.get("array_element", event)
    branch = event.get("branch")
    if branch not in GREETINGS:
        raise ValueError("event['branch'] must be one of %s, got %r" % (", ".join(GREETINGS), branch))
    name = person.get("name")
    if not isinstance(name, str):
        raise ValueError("a person needs a string 'name', got %r" % (person,))
    return {"id": person.get("id"), "name": name, "greeting": GREETINGS[branch] % name}
