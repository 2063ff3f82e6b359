"""210.thumbnailer: shrink an image from object storage to a thumbnail with Pillow.

The image is read into memory (download_stream), shrunk with Image.thumbnail so that it fits inside
object.width x object.height with its aspect ratio kept, encoded as JPEG and written back
(upload_stream) under the output prefix. measurement values are microseconds (times) and bytes (sizes).
"""

import io
import os
import time
from urllib.parse import unquote_plus

from PIL import Image

from . import storage

client = storage.storage.get_instance()

OUTPUT_FORMAT = "JPEG"
OUTPUT_EXTENSION = ".jpg"


def make_thumbnail(data, width, height):
    """(encoded JPEG bytes, (width, height) of the thumbnail, (width, height) of the source)."""
    with Image.open(io.BytesIO(data)) as image:
        source_size = image.size
        image.thumbnail((width, height))
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")  # JPEG holds neither alpha nor palettes
        out = io.BytesIO()
        image.save(out, format=OUTPUT_FORMAT)
        return out.getvalue(), image.size, source_size


def handler(event):
    bucket = event["bucket"]["bucket"]
    input_prefix = event["bucket"]["input"]
    output_prefix = event["bucket"]["output"]
    key = unquote_plus(event["object"]["key"])
    width = int(event["object"]["width"])
    height = int(event["object"]["height"])
    if width < 1 or height < 1:
        raise ValueError("object.width and object.height must be positive, got %r x %r" % (width, height))

    download_begin = time.perf_counter()
    data = client.download_stream(bucket, input_prefix + "/" + key)
    download_end = time.perf_counter()

    compute_begin = time.perf_counter()
    thumbnail, (thumb_w, thumb_h), (src_w, src_h) = make_thumbnail(data, width, height)
    compute_end = time.perf_counter()

    stem = os.path.splitext(key)[0]
    upload_begin = time.perf_counter()
    result_key = client.upload_stream(bucket, output_prefix + "/" + stem + OUTPUT_EXTENSION, thumbnail)
    upload_end = time.perf_counter()

    return {
        "result": {
            "bucket": bucket,
            "key": result_key,
            "width": thumb_w,
            "height": thumb_h,
            "format": OUTPUT_FORMAT,
            "source_width": src_w,
            "source_height": src_h,
        },
        "measurement": {
            "download_time": (download_end - download_begin) * 1e6,
            "download_size": len(data),
            "compute_time": (compute_end - compute_begin) * 1e6,
            "upload_time": (upload_end - upload_begin) * 1e6,
            "upload_size": len(thumbnail),
        },
    }
