"""Test fixture: a thumbnailer written the way older SeBS-style Node.js benchmarks are (sloppy-mode assignments to
undeclared names, an old sharp pin, the image streamed through sharp().resize(width, height).png()), to show that
such a folder runs on Workers unchanged through the sharp polyfill and the implicit-globals translation.

Every *.jpg of the data folder is uploaded and the first is resized to 200 x 200; the test writes the JPEG into the
data folder and checks the thumbnail itself."""
import glob
import os


def buckets_count():
    return (1, 1)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    images = sorted(glob.glob(os.path.join(data_dir or "", "*.jpg")))
    if not images:
        raise ValueError("951.stream-thumbnailer needs a data folder (sebs.data.dir) holding a *.jpg")
    for file in images:
        upload_func(0, os.path.relpath(file, data_dir), file)
    return {
        "object": {"key": os.path.basename(images[0]), "width": 200, "height": 200},
        "bucket": {"bucket": benchmarks_bucket, "input": input_paths[0], "output": output_paths[0]},
    }


def validate_output(data_dir, input_config, output, language, storage=None):
    key = output.get("result", {}).get("key", "")
    if not isinstance(key, str) or len(key) == 0:
        return "Output key is missing or invalid (value=%r)" % (key,)
    return None
