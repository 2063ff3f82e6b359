"""Input generation and output validation for 220.video-processing.

Input: one video in input prefix 0. With a SeBS benchmarks-data folder (sebs.data.dir holding
200.multimedia/220.video-processing/*.mp4, or a folder holding *.mp4 itself) its videos are uploaded and
the first one (by name) is processed. Otherwise ffmpeg (which must be on PATH: apt-get install ffmpeg)
renders its test pattern with a 440 Hz tone into an MP4:

    size    video                     processed (object.duration)
    test    320 x 240, 25 fps, 3 s    1 s
    small   640 x 480, 25 fps, 10 s   3 s
    large   1280 x 720, 25 fps, 30 s  10 s

The event is {"object": {"key", "op", "duration"}, "bucket": {"bucket", "input", "output"}} with op
"watermark" (as in SeBS); "extract-gif" and "transcode" (to MP3) are the other operations.
"""

import glob
import os
import shutil
import subprocess
import tempfile

BENCHMARK_PATH = os.path.join("200.multimedia", "220.video-processing")
VIDEOS = {
    "test": {"size": "320x240", "length": 3, "duration": 1},
    "small": {"size": "640x480", "length": 10, "duration": 3},
    "large": {"size": "1280x720", "length": 30, "duration": 10},
}
FRAME_RATE = 25
OPERATIONS = {"watermark": "mp4", "extract-gif": "gif", "transcode": "mp3"}
GIF_MAX_WIDTH = 320
# ffprobe's duration of a cut may overshoot the requested one by a frame or an audio packet.
DURATION_TOLERANCE = 0.35


def buckets_count():
    return (1, 1)


def _data_videos(data_dir):
    """MP4 videos of a SeBS benchmarks-data folder (its root or this benchmark's folder), sorted."""
    if not data_dir:
        return []
    for folder in (os.path.join(data_dir, BENCHMARK_PATH), data_dir):
        files = sorted(glob.glob(os.path.join(folder, "*.mp4")))
        if files:
            return files
    return []


def render_test_video(path, size, length):
    """Writes length seconds of ffmpeg's testsrc pattern at size ("WxH") with a sine tone as MP4."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RuntimeError("220.video-processing generates its input video with ffmpeg, which is not on PATH: "
                           "install it (apt-get install ffmpeg), or give sebs.data.dir with SeBS's "
                           "benchmarks-data (200.multimedia/220.video-processing/*.mp4)")
    command = [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
               "-f", "lavfi", "-i", "testsrc=size=%s:rate=%d:duration=%d" % (size, FRAME_RATE, length),
               "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=%d" % length,
               "-pix_fmt", "yuv420p", "-codec:a", "aac", "-shortest", path]
    done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        raise RuntimeError("ffmpeg could not render the input video (exit %d): %s"
                           % (done.returncode, done.stdout.decode("utf-8", "replace").strip()[-1000:]))


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    if size not in VIDEOS:
        raise ValueError("unknown size %r for 220.video-processing; valid sizes: %s" % (size, ", ".join(VIDEOS)))
    spec = VIDEOS[size]
    videos = _data_videos(data_dir)
    if videos:
        for path in videos:
            upload_func(0, os.path.basename(path), path)
        key = os.path.basename(videos[0])
    else:
        key = "testsrc-%s-%ds.mp4" % (spec["size"], spec["length"])
        path = os.path.join(tempfile.mkdtemp(prefix="sebs-220-"), key)
        render_test_video(path, spec["size"], spec["length"])
        upload_func(0, key, path)
    return {
        "object": {"key": key, "op": "watermark", "duration": spec["duration"]},
        "bucket": {"bucket": benchmarks_bucket, "input": input_paths[0], "output": output_paths[0]},
    }


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _output_is_valid(input_config, output, language):
    """The result has the operation's format, lies under the output prefix and is no longer than asked."""
    try:
        bucket, obj = input_config["bucket"], input_config["object"]
        op = obj.get("op", "watermark")
        requested = float(obj.get("duration", 1))
        if op not in OPERATIONS or not isinstance(output, dict):
            return False
        extension = OPERATIONS[op]
        key = output.get("key")
        if output.get("bucket") != bucket["bucket"] or output.get("op") != op or output.get("format") != extension:
            return False
        if not isinstance(key, str) or not key.startswith(bucket["output"] + "/") or not key.endswith("." + extension):
            return False
        duration = output.get("duration")
        if duration is not None:  # None: the function had no ffprobe
            if not _is_number(duration) or not 0 < duration <= requested + DURATION_TOLERANCE:
                return False
        width, height = output.get("width"), output.get("height")
        if op == "transcode":
            return width is None and height is None
        if width is None and height is None and duration is None:
            return True
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (width, height)):
            return False
        return op != "extract-gif" or width <= GIF_MAX_WIDTH
    except (KeyError, TypeError, ValueError, AttributeError):
        return False


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ("the result must have the operation's format, lie under the output prefix and be no longer than asked", text if len(text) <= 300 else text[:300] + "...")
