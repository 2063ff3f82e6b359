"""615.switch-greetings, state "get_people": a deterministic guest list.

Event: {"number": n} with n >= 0. Person i (0 <= i < n) is {"id": i, "name": FIRST[i % 10] + " " +
LAST[(3 * i) % 8]}; the names are all different for n <= 40 and repeat after that. Returns
{"people": {"number": n, "list": [person 0, ..., person n-1]}}.
"""

FIRST = ("Alice", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ivo", "Jun")
LAST = ("Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Sato", "Tanaka", "Umar")


def person(i):
    return {"id": i, "name": "%s %s" % (FIRST[i % len(FIRST)], LAST[(3 * i) % len(LAST)])}


def handler(event):
    number = event.get("number")
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise ValueError("event['number'] must be a non-negative integer, got %r" % (number,))
    return {"people": {"number": number, "list": [person(i) for i in range(number)]}}
