# Imports a package that only the per-version requirements files list: it fails at import unless they
# are installed.
import markupsafe


def handler(event):
    return {'result': str(markupsafe.escape(event['text']))}
