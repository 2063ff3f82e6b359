import datetime
import os

from . import storage

client = storage.storage.get_instance()


def handler(event):
    # SeBS style: the bucket comes from the event when the platform gives one, else from the input section.
    bucket = event["bucket"].get("bucket")
    key = event["object"]["key"]
    path = os.path.join("/tmp" if not os.environ.get("SEBS_TMP") else os.environ["SEBS_TMP"], key)
    begin = datetime.datetime.now()
    client.download(bucket, os.path.join(event["bucket"]["input"], key), path)
    with open(path) as f:
        text = f.read()
    uploaded = client.upload(bucket, os.path.join(event["bucket"]["output"], key), path)
    end = datetime.datetime.now()
    return {"result": {"text": text, "key": uploaded},
            "measurement": {"compute_time": (end - begin) / datetime.timedelta(microseconds=1)}}
