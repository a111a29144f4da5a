"""Real servers on loopback for the tests: an Oxigraph SPARQL server, free ports, canaries.

The Oxigraph server is the ``oxigraph`` command from PyPI (a project dependency), started
on a free port of 127.0.0.1 with its data in a temporary folder, and stopped after.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

OXIGRAPH = Path(sys.executable).with_name("oxigraph")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 20.0) -> None:
    """Return once ``url`` answers HTTP at all (any status), or fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing answers at {url}") from None
            time.sleep(0.1)


@contextmanager
def running(command: list[str], port: int) -> Iterator[str]:
    """Run a server ``command`` listening on ``port`` of 127.0.0.1; yields its base URL."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/")
        yield base
    finally:
        process.kill()
        process.wait()


def oxigraph_server(location: Path):
    """An Oxigraph server (read-write) on a free loopback port; yields its base URL."""
    port = free_port()
    return running([str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"], port)
