"""050.communication: pass a message of a given size from a producer to a consumer function.

Channels: "s3" (an object under the event's bucket/prefix, polled by the consumer), "nosql" (DynamoDB
items of at most PART_SIZE bytes of data, then a "meta" item the consumer polls for: DynamoDB limits an
item to 400 KB) and "redis" (a list the consumer waits on with BLPOP, no polling).

Both roles create their clients before taking timestamps, so client start-up is outside the window:
  producer: send_us (just before the write starts), written_us (after it returned)
  consumer: ready_us (polling starts), received_us (the whole message is read)
Timestamps are epoch microseconds on the function's clock. Latency = received_us - send_us.
"""

import hashlib
import os
import time

from . import nosql
from . import redis
from . import storage

PART_SIZE = 300 * 1024
POLL_INTERVAL_S = 0.002
TABLE = "messages"


def now_us():
    return time.time_ns() // 1000


def _s3_key(event):
    return "%s/%s" % (event["prefix"], event["key"])


class S3Channel:
    def __init__(self, event):
        self.client = storage.storage.get_instance().client
        self.bucket, self.key = event["bucket"], _s3_key(event)

    def write(self, data):
        self.client.put_object(Bucket=self.bucket, Key=self.key, Body=data)

    def try_read(self):
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.key)["Body"]
        except self.client.exceptions.NoSuchKey:
            return None
        try:
            return body.read()
        finally:
            body.close()

    def clean(self):
        self.client.delete_object(Bucket=self.bucket, Key=self.key)


class NoSqlChannel:
    def __init__(self, event):
        self.db = nosql.nosql.get_instance()
        self.db._get_table(TABLE)  # connect now, outside the timed window
        self.key = ("message_key", event["key"])

    def write(self, data):
        parts = max(1, (len(data) + PART_SIZE - 1) // PART_SIZE)
        for i in range(parts):
            self.db.insert(TABLE, self.key, ("part", str(i)), {"data": data[i * PART_SIZE:(i + 1) * PART_SIZE]})
        self.db.insert(TABLE, self.key, ("part", "meta"), {"parts": parts, "size": len(data)})

    def try_read(self):
        meta = self.db.get(TABLE, self.key, ("part", "meta"))
        if meta is None:
            return None
        chunks = [self.db.get(TABLE, self.key, ("part", str(i)))["data"] for i in range(meta["parts"])]
        return b"".join(bytes(c) for c in chunks)

    def clean(self):
        for item in self.db.query(TABLE, self.key, "part"):
            self.db.delete(TABLE, self.key, ("part", item["part"]))


class RedisChannel:
    def __init__(self, event):
        self.client = redis.redis.get_instance()
        self.client.client.ping()  # connect now, outside the timed window
        self.key = "sebs-communication:" + event["key"]

    def write(self, data):
        self.client.push(self.key, data)

    def read(self, timeout):
        return self.client.pop(self.key, timeout=max(timeout, 0.01))

    def clean(self):
        self.client.delete(self.key)


CHANNELS = {"s3": S3Channel, "nosql": NoSqlChannel, "redis": RedisChannel}


def handler(event):
    role, name, key = event.get("role"), event.get("channel"), event.get("key")
    if name not in CHANNELS:
        raise ValueError("event['channel'] must be one of %s, got %r" % (sorted(CHANNELS), name))
    if not key:
        raise ValueError("event['key'] must name the message both roles agree on")
    channel = CHANNELS[name](event)
    if role == "producer":
        size = int(event["size"])
        data = os.urandom(size)
        send = now_us()
        channel.write(data)
        written = now_us()
        return {"result": {"role": role, "channel": name, "key": key, "size": size,
                           "sha256": hashlib.sha256(data).hexdigest(), "send_us": send, "written_us": written}}
    if role == "consumer":
        timeout = float(event.get("timeout", 10))
        ready = now_us()
        deadline = time.monotonic() + timeout
        polls = 0
        data = None
        while data is None and time.monotonic() < deadline:
            polls += 1
            if isinstance(channel, RedisChannel):
                data = channel.read(deadline - time.monotonic())
            else:
                data = channel.try_read()
                if data is None:
                    time.sleep(POLL_INTERVAL_S)
        received = now_us()
        if data is None:
            raise TimeoutError("no message under key %r on %s within %.1f s" % (key, name, timeout))
        channel.clean()
        return {"result": {"role": role, "channel": name, "key": key, "size": len(data),
                           "sha256": hashlib.sha256(data).hexdigest(), "ready_us": ready,
                           "received_us": received, "polls": polls}}
    raise ValueError("event['role'] must be 'producer' or 'consumer', got %r" % (role,))
