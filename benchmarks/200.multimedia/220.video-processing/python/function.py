"""220.video-processing: process a video from object storage with ffmpeg.

object.op selects the operation, applied to the first object.duration seconds of the video:

  watermark    overlays a PNG watermark (drawn by this module) in the middle of the picture -> .mp4
  extract-gif  an animated GIF, 10 frames per second, at most 320 pixels wide, with its own palette -> .gif
  transcode    the sound track as MP3 -> .mp3 (the video needs an audio stream)

ffmpeg is the binary on PATH (or SEBS_FFMPEG / a bundled ffmpeg/ffmpeg next to this file); ffprobe, when
present, reports the duration and picture size of the result. measurement values are microseconds
(times) and bytes (sizes).
"""

import json
import os
import shutil
import struct
import subprocess
import tempfile
import time
import zlib

from . import storage

client = storage.storage.get_instance()

MODULE_DIR = os.path.dirname(os.path.abspath(__file__))
INSTALL_HINT = "install it with `apt-get install ffmpeg` (Debian/Ubuntu) or put the binary on PATH"
GIF_FPS = 10
GIF_MAX_WIDTH = 320
WATERMARK_SIZE = (128, 48)

_watermark_path = None


def _find_tool(name):
    candidates = [os.environ.get("SEBS_" + name.upper()), os.path.join(MODULE_DIR, "ffmpeg", name)]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which(name)


def ffmpeg_binary():
    path = _find_tool("ffmpeg")
    if path is None:
        raise RuntimeError("220.video-processing needs ffmpeg, which is not on PATH: " + INSTALL_HINT)
    return path


def run_ffmpeg(args):
    command = [ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"] + args
    done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        output = done.stdout.decode("utf-8", "replace").strip()
        raise RuntimeError("ffmpeg failed (exit %d): %s\ncommand: %s"
                           % (done.returncode, output[-2000:], " ".join(command)))


def probe(path):
    """{"duration": s, "width": px, "height": px} of a media file; None values without ffprobe."""
    info = {"duration": None, "width": None, "height": None}
    ffprobe = _find_tool("ffprobe")
    if ffprobe is None:
        return info
    done = subprocess.run([ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if done.returncode != 0:
        return info
    try:
        report = json.loads(done.stdout)
    except ValueError:
        return info
    if not isinstance(report, dict):
        return info
    try:
        info["duration"] = float(report["format"]["duration"])
    except (KeyError, TypeError, ValueError):
        pass
    for stream in report.get("streams") or []:
        if stream.get("codec_type") == "video":
            info["width"], info["height"] = stream.get("width"), stream.get("height")
            break
    return info


# ---------------------------------------------------------------- the watermark

def _png(width, height, rgba_rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rgba_rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def watermark_png():
    """A translucent badge: a white frame around diagonal stripes, as RGBA PNG bytes."""
    width, height = WATERMARK_SIZE
    border = 4
    rows = []
    for y in range(height):
        row = bytearray()
        for x in range(width):
            edge = x < border or y < border or x >= width - border or y >= height - border
            if edge:
                row += b"\xff\xff\xff\xc0"
            elif (x + y) // 6 % 2 == 0:
                row += b"\xff\xff\xff\x70"
            else:
                row += b"\x20\x20\x20\x40"
        rows.append(bytes(row))
    return _png(width, height, rows)


def watermark_file():
    """The watermark PNG on local disk, written once per instance."""
    global _watermark_path
    if _watermark_path is None or not os.path.isfile(_watermark_path):
        directory = tempfile.mkdtemp(prefix="watermark-", dir=os.environ.get("SEBS_TMP") or None)
        path = os.path.join(directory, "watermark.png")
        with open(path, "wb") as f:
            f.write(watermark_png())
        _watermark_path = path
    return _watermark_path


# ---------------------------------------------------------------- operations

def watermark(video, duration, workdir):
    output = os.path.join(workdir, "watermarked-" + os.path.splitext(os.path.basename(video))[0] + ".mp4")
    run_ffmpeg(["-i", video, "-i", watermark_file(), "-t", str(duration),
                "-filter_complex", "[0:v][1:v]overlay=x=(main_w-overlay_w)/2:y=(main_h-overlay_h)/2",
                "-pix_fmt", "yuv420p", output])
    return output


def extract_gif(video, duration, workdir):
    output = os.path.join(workdir, os.path.splitext(os.path.basename(video))[0] + ".gif")
    graph = ("fps=%d,scale='min(%d,iw)':-2:flags=lanczos,split[frames][again];"
             "[frames]palettegen[palette];[again][palette]paletteuse" % (GIF_FPS, GIF_MAX_WIDTH))
    run_ffmpeg(["-i", video, "-t", str(duration), "-vf", graph, "-loop", "0", output])
    return output


def transcode(video, duration, workdir):
    output = os.path.join(workdir, os.path.splitext(os.path.basename(video))[0] + ".mp3")
    run_ffmpeg(["-i", video, "-t", str(duration), "-vn", "-map", "0:a:0", "-codec:a", "libmp3lame",
                "-q:a", "4", output])
    return output


OPERATIONS = {"watermark": watermark, "extract-gif": extract_gif, "transcode": transcode}


def handler(event):
    bucket = event["bucket"]["bucket"]
    input_prefix = event["bucket"]["input"]
    output_prefix = event["bucket"]["output"]
    key = event["object"]["key"]
    op = event["object"].get("op", "watermark")
    duration = float(event["object"].get("duration", 1))
    if op not in OPERATIONS:
        raise ValueError("unknown object.op %r; valid operations: %s" % (op, ", ".join(OPERATIONS)))
    if not duration > 0:
        raise ValueError("object.duration must be positive, got %r" % (event["object"].get("duration"),))
    ffmpeg_binary()  # fail with the install hint before downloading anything

    workdir = tempfile.mkdtemp(prefix="video-", dir=os.environ.get("SEBS_TMP") or None)
    try:
        video = os.path.join(workdir, os.path.basename(key) or "input.mp4")
        download_begin = time.perf_counter()
        client.download(bucket, input_prefix + "/" + key, video)
        download_end = time.perf_counter()
        download_size = os.path.getsize(video)

        compute_begin = time.perf_counter()
        result_path = OPERATIONS[op](video, duration, workdir)
        compute_end = time.perf_counter()

        upload_size = os.path.getsize(result_path)
        upload_begin = time.perf_counter()
        result_key = client.upload(bucket, output_prefix + "/" + os.path.basename(result_path), result_path)
        upload_end = time.perf_counter()

        info = probe(result_path)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    return {
        "result": {
            "bucket": bucket,
            "key": result_key,
            "op": op,
            "format": os.path.splitext(result_path)[1][1:],
            "duration": info["duration"],
            "width": info["width"],
            "height": info["height"],
        },
        "measurement": {
            "download_time": (download_end - download_begin) * 1e6,
            "download_size": download_size,
            "compute_time": (compute_end - compute_begin) * 1e6,
            "upload_time": (upload_end - upload_begin) * 1e6,
            "upload_size": upload_size,
        },
    }
