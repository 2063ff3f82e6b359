import markupsafe


def handler(event):
    return {'result': markupsafe.__name__}
