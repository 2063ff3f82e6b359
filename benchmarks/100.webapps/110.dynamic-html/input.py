"""Input generation and output validation for 110.dynamic-html.

The function renders an HTML page from a template: a greeting for
``username``, the render time, and an unordered list of ``random_len``
random integers.  Both language versions use the same page structure:

    <span id="username">...</span>
    <span id="timestamp">...</span>
    <ul id="numbers"><li>INT</li>...</ul>
"""

from html.parser import HTMLParser

# Number of random integers in the rendered list for each named size.
RANDOM_LEN = {"test": 10, "small": 1000, "large": 100000}

# The functions draw integers from [0, NUMBER_LIMIT).
NUMBER_LIMIT = 1000000


def buckets_count():
    """No storage buckets are read or written."""
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in RANDOM_LEN:
        raise ValueError("unknown size %r for 110.dynamic-html; valid sizes: %s"
                         % (size, ", ".join(RANDOM_LEN)))
    return {"username": "testname", "random_len": RANDOM_LEN[size]}


class _PageScanner(HTMLParser):
    """Collects the text of #username and #timestamp and the items of #numbers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.username = None
        self.timestamp = None
        self.items = []
        self.lists_seen = 0
        self._capture = None      # "username" | "timestamp" | "item" | None
        self._buffer = []
        self._in_numbers = False

    def handle_starttag(self, tag, attrs):
        element_id = dict(attrs).get("id")
        if tag == "span" and element_id in ("username", "timestamp"):
            self._capture, self._buffer = element_id, []
        elif tag == "ul" and element_id == "numbers":
            self._in_numbers = True
            self.lists_seen += 1
        elif tag == "li" and self._in_numbers:
            self._capture, self._buffer = "item", []

    def handle_endtag(self, tag):
        if self._capture and tag in ("span", "li"):
            text = "".join(self._buffer).strip()
            if self._capture == "item":
                self.items.append(text)
            else:
                setattr(self, self._capture, text)
            self._capture = None
        elif tag == "ul":
            self._in_numbers = False

    def handle_data(self, data):
        if self._capture:
            self._buffer.append(data)


def _output_is_valid(input_config, output, language):
    """The page greets the user and lists exactly random_len integers."""
    if not isinstance(input_config, dict) or not isinstance(output, str):
        return False
    username = input_config.get("username")
    count = input_config.get("random_len")
    if not isinstance(username, str) or isinstance(count, bool) or not isinstance(count, int):
        return False

    scanner = _PageScanner()
    try:
        scanner.feed(output)
        scanner.close()
    except Exception:
        return False

    if scanner.username != username.strip() or not scanner.timestamp:
        return False
    if scanner.lists_seen != 1 or len(scanner.items) != count:
        return False
    for item in scanner.items:
        if not item.isdigit() or not 0 <= int(item) < NUMBER_LIMIT:
            return False
    return True


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ('the page must greet the user and list exactly random_len integers', text if len(text) <= 300 else text[:300] + "...")
