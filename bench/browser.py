#!/usr/bin/env python3
"""Edit-to-visible in a real browser: a save in content/ until the changed text is on screen.

    bench/browser.py --senda target/release/senda [--site .] [--page content/guide/about.md]
                     [--url /en/guide/about/] [--edits 10] [--chromium chromium]

Copies the site (site.toml, content/, i18n/, themes/, templates/, static/) to a temporary
folder, starts `senda serve` there and a headless Chromium on the served page, driven over the
Chrome DevTools Protocol (a WebSocket; the `websockets` package from PyPI). Each edit appends
a sentence with a new marker to the page's Markdown; the clock starts just before the write
and stops when Chromium reports the first paint (`firstContentfulPaint`) of a reloaded
document that holds the marker; the DOMContentLoaded time is recorded beside it. Prints the
median and every run, in milliseconds. Nothing in the site given is changed.
"""

import argparse
import asyncio
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websockets

# The reloaded document's times, in ms from its timeOrigin (when the reload began).
TIMES = """(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  return {origin: performance.timeOrigin, responseEnd: nav.responseEnd,
          dcl: nav.domContentLoadedEventStart, fcp: fcp ? fcp.startTime : NaN};
})()"""

COPIED = ["site.toml", "content", "i18n", "themes", "templates", "static"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                return r.read()
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"browser bench: {url} did not answer within {seconds} s")


class Cdp:
    """One page target over the DevTools WebSocket: commands and a queue of events."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.replies = {}
        self.events = asyncio.Queue()
        self.reader = asyncio.create_task(self.read())

    async def read(self):
        async for raw in self.ws:
            now = time.monotonic()
            msg = json.loads(raw)
            if "id" in msg:
                self.replies.pop(msg["id"]).set_result(msg)
            else:
                await self.events.put((now, msg["method"], msg.get("params", {})))

    async def send(self, method, **params):
        self.next_id += 1
        done = asyncio.get_running_loop().create_future()
        self.replies[self.next_id] = done
        await self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        msg = await asyncio.wait_for(done, 30)
        if "error" in msg:
            raise SystemExit(f"browser bench: {method}: {msg['error']}")
        return msg.get("result", {})

    async def holds(self, marker):
        got = await self.send(
            "Runtime.evaluate",
            expression=f"document.body !== null && document.body.innerText.includes({json.dumps(marker)})",
        )
        return got.get("result", {}).get("value") is True

    async def drain(self):
        while not self.events.empty():
            self.events.get_nowait()


async def measure(cdp, page_file, edits, timeout):
    paint, loaded, phases = [], [], []
    for i in range(edits):
        await asyncio.sleep(3.0)  # let serve's quiet full rebuild (1.5 s after edits) pass
        await cdp.drain()
        marker = f"Browser edit {i + 1} {time.time_ns()}"
        t0 = time.monotonic()
        wall0 = time.time() * 1000
        with page_file.open("a", encoding="utf-8") as f:
            f.write(f"\n\n{marker}.\n")
        dcl = fcp = None
        seen = False  # the document begun last holds the marker
        deadline = t0 + timeout
        while not (seen and fcp is not None):
            left = deadline - time.monotonic()
            if left <= 0:
                raise SystemExit(f"browser bench: edit {i + 1} not visible within {timeout} s")
            when, method, params = await asyncio.wait_for(cdp.events.get(), left)
            if method != "Page.lifecycleEvent":
                continue
            name = params.get("name")
            if name == "init":  # a new document: forget the previous one's events
                dcl = fcp = None
                seen = False
            elif name == "DOMContentLoaded" and await cdp.holds(marker):
                dcl, seen = when, True
            elif name == "firstContentfulPaint":
                fcp = when
        # The browser's own clock (the same wall clock): CDP events arrive late on a busy
        # machine, the Performance API's entries do not.
        got = await cdp.send("Runtime.evaluate", returnByValue=True, expression=TIMES)
        t = got["result"]["value"]
        paint.append(t["origin"] + t["fcp"] - wall0)
        loaded.append(t["origin"] + t["dcl"] - wall0)
        phases.append((t["origin"] - wall0, t["origin"] + t["responseEnd"] - wall0))
        print(f"edit {i + 1}: reload begun at {phases[-1][0]:.1f} ms, HTML received at "
              f"{phases[-1][1]:.1f} ms, DOMContentLoaded {loaded[-1]:.1f} ms, "
              f"first paint {paint[-1]:.1f} ms (CDP saw it at {(fcp - t0) * 1000:.1f} ms)",
              file=sys.stderr)
    return paint, loaded, phases


async def drive(devtools_port, url, page_file, edits, timeout):
    targets = json.loads(wait_http(f"http://127.0.0.1:{devtools_port}/json/list", 20))
    page = next(t for t in targets if t["type"] == "page")
    async with websockets.connect(page["webSocketDebuggerUrl"], max_size=None) as ws:
        cdp = Cdp(ws)
        await cdp.send("Page.enable")
        await cdp.send("Page.setLifecycleEventsEnabled", enabled=True)
        await cdp.send("Runtime.enable")
        await cdp.send("Page.navigate", url=url)
        while True:
            _, method, _ = await asyncio.wait_for(cdp.events.get(), 30)
            if method == "Page.loadEventFired":
                break
        return await measure(cdp, page_file, edits, timeout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--senda", required=True)
    ap.add_argument("--site", default=".")
    ap.add_argument("--page", default="content/guide/about.md")
    ap.add_argument("--url", default="/en/guide/about/")
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--chromium", default="chromium")
    args = ap.parse_args()

    senda = str(Path(args.senda).resolve())
    with tempfile.TemporaryDirectory(prefix="senda-browser-") as work:
        site = Path(work, "site")
        site.mkdir()
        for name in COPIED:
            src = Path(args.site, name)
            if src.is_dir():
                shutil.copytree(src, site / name)
            elif src.is_file():
                shutil.copy2(src, site / name)
        port, devtools = free_port(), free_port()
        serve = subprocess.Popen([senda, "serve", "--port", str(port)], cwd=site,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        browser = None
        try:
            url = f"http://127.0.0.1:{port}{args.url}"
            wait_http(url, 60)
            browser = subprocess.Popen(
                [args.chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                 "--no-first-run", "--disable-extensions", "--disable-background-networking",
                 f"--user-data-dir={work}/profile", f"--remote-debugging-port={devtools}",
                 "about:blank"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            paint, loaded, phases = asyncio.run(
                drive(devtools, url, site / args.page, args.edits, args.timeout))
        finally:
            for proc in (browser, serve):
                if proc is not None:
                    proc.terminate()
                    try:
                        proc.wait(10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
    print(f"browser: edit -> first paint median {statistics.median(paint):.1f} ms "
          f"(runs: {', '.join(f'{t:.0f}' for t in paint)} ms); "
          f"DOMContentLoaded median {statistics.median(loaded):.1f} ms; "
          f"reload begun median {statistics.median(p[0] for p in phases):.1f} ms, "
          f"HTML received median {statistics.median(p[1] for p in phases):.1f} ms")


if __name__ == "__main__":
    main()
