"""Runs the benchmark's tool where the function runs: proves the tool is installed in the instance."""
import shutil
import subprocess


def handler(event):
    path = shutil.which("ffmpeg")
    if path is None:
        return {"result": {"path": None}}
    out = subprocess.run([path, "-version"], capture_output=True, text=True, check=True).stdout
    return {"result": {"path": path, "version": out.splitlines()[0]}}
