"""Input generation and output validation for 411.image-recognition.

Needs pretrained ResNet-50 weights, which this machine cannot download: put a torchvision state dict
(SeBS uses resnet50-19c8e357.pth) into <sebs.data.dir>/400.inference/411.image-recognition/model/; data_dir
is that benchmark folder (as in SeBS; a benchmarks-data root works too). They are uploaded to input
prefix 0; generate_input raises a RuntimeError saying so when there are none.

Images go to input prefix 1: SeBS's fake-resnet/ images listed in val_map.txt when the data folder has
them (the first one is classified), otherwise a synthetic picture written as PNG with the standard
library (test 320 x 240, small 640 x 480, large 1920 x 1080).

The event is {"object": {"model", "input"}, "bucket": {"bucket", "model", "input"}}; the function returns
{"idx", "class", "probability"} of the top ImageNet class.
"""

import glob
import os
import struct
import tempfile
import zlib

BENCHMARK_PATH = os.path.join("400.inference", "411.image-recognition")
SEBS_MODEL = "resnet50-19c8e357.pth"
IMAGE_SIZES = {"test": (320, 240), "small": (640, 480), "large": (1920, 1080)}
NUM_CLASSES = 1000


def buckets_count():
    return (2, 0)


def _benchmark_data_dirs(data_dir):
    if not data_dir:
        return []
    return [os.path.join(data_dir, BENCHMARK_PATH), data_dir]


def find_weights(data_dir):
    """The ResNet-50 weight file in a SeBS benchmarks-data folder, or None."""
    for folder in _benchmark_data_dirs(data_dir):
        files = sorted(glob.glob(os.path.join(folder, "model", "resnet50-*.pth")))
        if files:
            preferred = [f for f in files if os.path.basename(f) == SEBS_MODEL]
            return (preferred or files)[0]
    return None


def _fake_resnet_images(data_dir):
    """(key, path) of the images val_map.txt lists in a SeBS fake-resnet folder; [] without one."""
    for folder in _benchmark_data_dirs(data_dir):
        listing = os.path.join(folder, "fake-resnet", "val_map.txt")
        if os.path.isfile(listing):
            images = []
            with open(listing, "r") as f:
                for line in f:
                    fields = line.split()
                    if fields:
                        images.append((fields[0], os.path.join(folder, "fake-resnet", fields[0])))
            return images
    return []


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_synthetic_png(path, width, height):
    """An RGB PNG: a sunlit disc over a sky-to-grass gradient, enough structure for a forward pass."""
    cx, cy, r2 = width * 0.65, height * 0.35, (min(width, height) * 0.18) ** 2
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter type 0
        ground = y > height * 0.6
        for x in range(width):
            if (x - cx) ** 2 + (y - cy) ** 2 < r2:
                raw += b"\xf5\xd0\x30"
            elif ground:
                raw += bytes((40 + (x * 13 + y * 7) % 40, 120 + (x * y) % 50, 30))
            else:
                raw += bytes((90 + y * 60 // height, 150 + y * 60 // height, 235))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(_png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(_png_chunk(b"IDAT", zlib.compress(bytes(raw), 6)))
        f.write(_png_chunk(b"IEND", b""))


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    if size not in IMAGE_SIZES:
        raise ValueError("unknown size %r for 411.image-recognition; valid sizes: %s"
                         % (size, ", ".join(IMAGE_SIZES)))
    weights = find_weights(data_dir)
    if weights is None:
        # data_dir is this benchmark's folder in benchmarks-data (as SeBS passes it), or None
        where = os.path.join(data_dir, "model") if data_dir else os.path.join("<data_dir>", BENCHMARK_PATH, "model")
        raise RuntimeError(
            "411.image-recognition needs pretrained ResNet-50 weights: put resnet50-*.pth into %s "
            "(sebs.data.dir); none can be downloaded on this machine" % where)
    model_key = os.path.basename(weights)
    upload_func(0, model_key, weights)

    images = _fake_resnet_images(data_dir)
    if images:
        for key, path in images:
            upload_func(1, key, path)
        image_key = images[0][0]
    else:
        width, height = IMAGE_SIZES[size]
        image_key = "synthetic-%dx%d.png" % (width, height)
        path = os.path.join(tempfile.mkdtemp(prefix="sebs-411-"), image_key)
        write_synthetic_png(path, width, height)
        upload_func(1, image_key, path)

    return {
        "object": {"model": model_key, "input": image_key},
        "bucket": {"bucket": benchmarks_bucket, "model": input_paths[0], "input": input_paths[1]},
    }


def _output_is_valid(input_config, output, language):
    """One of the 1000 ImageNet classes, with its name and a probability."""
    if not isinstance(output, dict):
        return False
    idx, label, probability = output.get("idx"), output.get("class"), output.get("probability")
    if isinstance(idx, bool) or not isinstance(idx, int) or not 0 <= idx < NUM_CLASSES:
        return False
    if not isinstance(label, str) or not label.strip():
        return False
    if probability is None:
        return True
    return isinstance(probability, (int, float)) and not isinstance(probability, bool) and 0 < probability <= 1


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ('the result must be one of the 1000 ImageNet classes, with its name and a probability', text if len(text) <= 300 else text[:300] + "...")
