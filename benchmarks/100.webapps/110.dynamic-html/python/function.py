"""110.dynamic-html: render an HTML page with jinja2.

The template is found next to this module (not via the working directory),
because the deployment imports this file as part of a package.
"""

import os
import random
from datetime import datetime, timezone

from jinja2 import Environment, FileSystemLoader, select_autoescape

_TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
_ENV = Environment(loader=FileSystemLoader(_TEMPLATES),
                   autoescape=select_autoescape(["html"]))

NUMBER_LIMIT = 1000000


def handler(event):
    username = event["username"]
    count = int(event["random_len"])
    if count < 0:
        raise ValueError("event['random_len'] must not be negative, got %r" % (count,))

    numbers = [random.randrange(NUMBER_LIMIT) for _ in range(count)]
    page = _ENV.get_template("template.html").render(
        username=username,
        cur_time=datetime.now(timezone.utc).isoformat(),
        random_numbers=numbers,
    )
    return {"result": page}
