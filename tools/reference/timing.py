"""Runs a command under GNU time, for the benchmark scripts beside this file."""

import re
import subprocess


def timed(command):
    """Runs a command under /usr/bin/time -v; returns its output, wall seconds and peak RSS in MB."""
    result = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=True)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    hours, minutes, seconds = (float(g) if g else 0.0 for g in wall.groups())
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    return result.stdout + result.stderr, 3600 * hours + 60 * minutes + seconds, int(rss.group(1)) / 1024
