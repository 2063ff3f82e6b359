# Fixture in SeBS master's conventions: handler(event) returns {'result': ...}; the template lives beside
# the code and is found relative to this file.
import random
from os import path

from jinja2 import Template

HERE = path.dirname(path.abspath(__file__))


def handler(event):
    with open(path.join(HERE, 'templates', 'page.html')) as f:
        template = Template(f.read())
    numbers = [random.randint(0, 10 ** 6) for _ in range(event.get('random_len'))]
    return {'result': template.render(username=event.get('username'), numbers=numbers)}
