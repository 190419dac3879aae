"""The web page of ``silkway serve`` in headless Chromium: how long it takes to be ready
(network and basemap loaded, map drawn), how long a plan takes from the click to the
options on screen, and how many bytes the page loads.

Run: ``python benchmarks/web.py [--runs 5]`` (needs Debian's /usr/bin/chromium and
Playwright for Python, as the browser tests do). It starts its own ``silkway serve`` on
a free loopback port; :func:`running_server` is also the browser tests' server.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Debian's chromium as the browser tests start it (no request leaves the machine)."""
STARTUP_S = 120.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def running_server(*, log: Path) -> Iterator[str]:
    """A ``silkway serve`` on a free loopback port, its output in ``log``; yields its
    base URL once ``/api/v1/health`` answers, stops it afterwards.

    Raises
    ------
    RuntimeError
        If the server exits or does not answer within STARTUP_S seconds.
    """
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "silkway", "serve", "--host", "127.0.0.1"]
    with log.open("wb") as sink:
        proc = subprocess.Popen([*command, "--port", str(port)], stdout=sink, stderr=sink)
        try:
            deadline = time.monotonic() + STARTUP_S
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"silkway serve exited with {proc.returncode}; see {log}")
                try:
                    with urllib.request.urlopen(base + "api/v1/health", timeout=5) as answer:
                        json.load(answer)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(
                            f"silkway serve did not answer in {STARTUP_S:.0f} s; see {log}"
                        ) from None
                    time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _one_run(browser: Any, base: str) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 860})
    page = context.new_page()
    page.set_default_timeout(60_000)
    sizes: dict[str, int] = {}

    def record(response: Any) -> None:
        if response.ok:
            name = response.url.split("?")[0].rsplit("/", 1)[-1] or "index.html"
            sizes[name] = sizes.get(name, 0) + len(response.body())

    page.on("response", record)
    start = time.perf_counter()
    page.goto(base)
    page.wait_for_selector("body[data-ready='true']")
    ready = time.perf_counter() - start
    for field, text in (("origin", "Xi'an"), ("destination", "Istanbul")):
        page.fill(f"#{field}", text)
        page.wait_for_selector(f"#{field}-list li")
        page.press(f"#{field}", "Enter")
    page.fill("#depart", "2026-12-07")
    start = time.perf_counter()
    page.click("#submit")
    page.wait_for_selector("#options .option")
    page.wait_for_function(
        "window.silkway.map.queryRenderedFeatures({layers: ['route-line']}).length > 0"
    )
    planned = time.perf_counter() - start
    context.close()
    return {"ready": ready, "plan": planned, "sizes": sizes}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="page loads to time")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory() as tmp,
        running_server(log=Path(tmp) / "server.log") as base,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        runs = [_one_run(browser, base) for _ in range(args.runs)]
        browser.close()
    ready = [r["ready"] for r in runs]
    plan = [r["plan"] for r in runs]
    sizes = runs[-1]["sizes"]
    print(f"runs: {len(runs)} (fresh browser context each: nothing cached)")
    print(
        f"ready (page load to map drawn): median {statistics.median(ready):.2f} s, "
        f"max {max(ready):.2f} s"
    )
    print(
        f"plan Xi'an -> Istanbul (click to options and route drawn): median "
        f"{statistics.median(plan):.2f} s, max {max(plan):.2f} s"
    )
    print(f"bytes loaded: {sum(sizes.values()) / 1e6:.2f} MB")
    for name, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<28} {size / 1e3:9.1f} kB")


if __name__ == "__main__":
    main()
