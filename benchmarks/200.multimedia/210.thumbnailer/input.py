"""Input generation and output validation for 210.thumbnailer.

Input: one image in input prefix 0. With a SeBS benchmarks-data folder (sebs.data.dir holding
200.multimedia/210.thumbnailer/*.jpg, or a folder holding *.jpg itself) its images are uploaded and
SeBS's image (or the first by name) is resized. Otherwise a synthetic RGB picture is written as PNG
(standard library only: zlib + struct), seeded so that every run uploads the same bytes:

    size    image          thumbnail bound
    test    800 x 600      200 x 200
    small   1920 x 1080    200 x 200
    large   3840 x 2160    200 x 200

The event is {"object": {"key", "width", "height"}, "bucket": {"bucket", "input", "output"}}.

What the function produces differs by language, as in SeBS: Python (Pillow) shrinks the image to fit
inside width x height keeping its aspect ratio and writes a JPEG; Node.js (sharp) resizes it to exactly
width x height (cropping to cover) and writes a PNG. Both report {"bucket", "key", "width", "height",
"format", "source_width", "source_height"}.
"""

import glob
import os
import random
import struct
import tempfile
import zlib

BENCHMARK_PATH = os.path.join("200.multimedia", "210.thumbnailer")
SEBS_IMAGE = "6_astronomy-desktop-wallpaper-evening-1624438.jpg"
IMAGE_SIZES = {"test": (800, 600), "small": (1920, 1080), "large": (3840, 2160)}
THUMBNAIL = (200, 200)
SEED = 42


def buckets_count():
    return (1, 1)


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png(path, width, height, rows):
    """Writes an 8-bit RGB PNG; rows yields height byte strings of 3 * width bytes."""
    compressor = zlib.compressobj(6)
    data = []
    for row in rows:
        data.append(compressor.compress(b"\x00" + row))  # filter type 0 (None) on every row
    data.append(compressor.flush())
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(_png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(_png_chunk(b"IDAT", b"".join(data)))
        f.write(_png_chunk(b"IEND", b""))


def synthetic_rows(width, height, seed):
    """A dusk-sky picture: colour gradients, diagonal bands and fine seeded grain.

    Built with bytes.translate, slice assignment and big-integer XOR, so that even the 4K image takes
    only a few seconds in plain CPython.
    """
    rng = random.Random(seed)
    red = bytes(40 + (150 * x) // max(1, width - 1) for x in range(width))
    band = bytes((x * 5) % 256 for x in range(width))
    grain_mask = int.from_bytes(b"\x03" * (3 * width), "little")
    row = bytearray(3 * width)
    for y in range(height):
        shade = (y * 160) // max(1, height - 1)
        row[0::3] = red.translate(bytes(max(0, v - shade // 2) for v in range(256)))
        row[1::3] = bytes((20 + shade // 3,)) * width
        row[2::3] = band.translate(bytes((v + 3 * y) % 96 + 100 - shade // 2 for v in range(256)))
        grain = rng.getrandbits(8 * len(row)) & grain_mask
        yield (int.from_bytes(row, "little") ^ grain).to_bytes(len(row), "little")


def _data_images(data_dir):
    """JPEG images of a SeBS benchmarks-data folder (its root or this benchmark's folder), sorted."""
    if not data_dir:
        return []
    for folder in (os.path.join(data_dir, BENCHMARK_PATH), data_dir):
        files = sorted(glob.glob(os.path.join(folder, "*.jpg")))
        if files:
            return files
    return []


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    if size not in IMAGE_SIZES:
        raise ValueError("unknown size %r for 210.thumbnailer; valid sizes: %s" % (size, ", ".join(IMAGE_SIZES)))
    images = _data_images(data_dir)
    if images:
        for path in images:
            upload_func(0, os.path.basename(path), path)
        names = [os.path.basename(p) for p in images]
        key = SEBS_IMAGE if SEBS_IMAGE in names else names[0]
    else:
        width, height = IMAGE_SIZES[size]
        key = "synthetic-%dx%d.png" % (width, height)
        path = os.path.join(tempfile.mkdtemp(prefix="sebs-210-"), key)
        write_png(path, width, height, synthetic_rows(width, height, SEED))
        upload_func(0, key, path)
    return {
        "object": {"key": key, "width": THUMBNAIL[0], "height": THUMBNAIL[1]},
        "bucket": {"bucket": benchmarks_bucket, "input": input_paths[0], "output": output_paths[0]},
    }


def _positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _output_is_valid(input_config, output, language):
    """The thumbnail is stored under the output prefix and has the size the language's method gives."""
    try:
        bucket, obj = input_config["bucket"], input_config["object"]
        bound_w, bound_h = int(obj["width"]), int(obj["height"])
        if not isinstance(output, dict) or output.get("bucket") != bucket["bucket"]:
            return False
        key = output.get("key")
        if not isinstance(key, str) or not key.startswith(bucket["output"] + "/"):
            return False
        width, height = output.get("width"), output.get("height")
        src_w, src_h = output.get("source_width"), output.get("source_height")
        if not all(_positive_int(v) for v in (width, height, src_w, src_h)):
            return False
        if language == "nodejs":
            # sharp's resize(width, height) covers the box exactly (cropping the overflow).
            return output.get("format") == "png" and key.endswith(".png") and (width, height) == (bound_w, bound_h)
        # Pillow's thumbnail() fits the image inside the box, keeps its aspect ratio, never enlarges.
        if output.get("format") != "JPEG" or not key.endswith(".jpg"):
            return False
        if width > min(bound_w, src_w) or height > min(bound_h, src_h):
            return False
        if width != min(bound_w, src_w) and height != min(bound_h, src_h):
            return False  # one side must touch the box (or keep the source size)
        # aspect ratio kept up to rounding to whole pixels
        return abs(width * src_h - height * src_w) <= max(src_w, src_h)
    except (KeyError, TypeError, ValueError, AttributeError):
        return False


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ("the thumbnail must be stored under the output prefix with the size the language's method gives", text if len(text) <= 300 else text[:300] + "...")
