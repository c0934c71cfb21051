#!/usr/bin/env python3
"""Helpers for bench/run.sh (stdlib only).

    helper.py glossary GLOSSARY_JSON CONTENT_DIR     glossary.json -> content/glossary/*.md
    helper.py freeport                               print a free TCP port on 127.0.0.1
    helper.py check-output CONTENT_DIR OUT_DIR       count pages, check root-relative links resolve
    helper.py serve-bench --port P --pid PID --file F [--repeats 5] ...
                                                     time edit -> SSE `reload` under `senda serve`
    helper.py report RESULTS_TSV [--serve TSV] [--cold TSV]   print the summary table
"""
import argparse
import http.client
import json
import os
import queue
import re
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

# Targets (informational): senda median wall <= 0.2 x Hugo's at 5,000 pages per language,
# senda peak RSS <= 200 MB.
RATIO_TARGET, RATIO_PAGES, MEM_TARGET_MB = 0.2, 5000, 200


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)  # JSON string escapes are valid TOML basic strings


def toml_list(items):
    return "[" + ", ".join(toml_str(s) for s in items) + "]"


# ---------------------------------------------------------------- glossary conversion
GLOSSARY_INDEX = {
    "en": ("Glossary", "Words used in these guides, and what they mean."),
    "es": ("Glosario", "Palabras que se usan en estas guías y lo que significan."),
}


def cmd_glossary(args):
    """Write senda glossary files (docs/formats.md, "Glossary") from the corpus' glossary.json.

    glossary.json is a list of {"id": ..., "en": {"term", "aliases", "definition"}, "es": {...}}.
    """
    entries = json.loads(Path(args.json).read_text(encoding="utf-8"))
    gdir = Path(args.content) / "glossary"
    if (gdir / "_index.md").exists():
        print(f"glossary: {gdir} already exists in the corpus, left as is")
        return 0
    gdir.mkdir(parents=True, exist_ok=True)
    langs = sorted({k for e in entries for k in e if k != "id"}, key=lambda k: (k != "en", k))
    for lang in langs:
        title, desc = GLOSSARY_INDEX.get(lang, GLOSSARY_INDEX["en"])
        suffix = "" if lang == "en" else f".{lang}"
        (gdir / f"_index{suffix}.md").write_text(
            f"+++\ntitle = {toml_str(title)}\ndescription = {toml_str(desc)}\n+++\n", encoding="utf-8")
    files = 0
    for e in entries:
        gid = e["id"]
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", gid):
            sys.exit(f"glossary: unexpected id {gid!r}")
        for lang in langs:
            item = e.get(lang)
            if not item:
                continue
            suffix = "" if lang == "en" else f".{lang}"
            lines = ["+++", f"title = {toml_str(item['term'])}"]
            definition = (item.get("definition") or "").strip()
            if definition:
                lines.append(f"description = {toml_str(definition)}")
            lines.append(f"term_aliases = {toml_list(item.get('aliases') or [])}")
            lines.append("+++")
            body = "\n".join(lines) + "\n" + (f"\n{definition}\n" if definition else "")
            (gdir / f"{gid}{suffix}.md").write_text(body, encoding="utf-8")
            files += 1
    print(f"glossary: {len(entries)} terms, {files} term files + {len(langs)} index files -> {gdir}")
    return 0


# ---------------------------------------------------------------- misc
def cmd_freeport(_args):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])
    return 0


LINK_RE = re.compile(r"\]\((/[^)\s#]*)(?:#[^)]*)?\)")


def cmd_check_output(args):
    """Sanity check of a build: the home page exists, and every root-relative link found in
    the corpus Markdown points to a file in the output (dir/ -> dir/index.html)."""
    out, content = Path(args.out), Path(args.content)
    html = sum(1 for _ in out.rglob("*.html")) if out.is_dir() else 0
    if not (out / "index.html").is_file():
        print(f"no index.html in {out} ({html} .html files)")
        return 1
    if not args.links:
        print(f"{html} .html files")
        return 0
    targets = set()
    for md in content.rglob("*.md"):
        targets.update(LINK_RE.findall(md.read_text(encoding="utf-8")))
    missing = [t for t in sorted(targets)
               if not ((out / t.lstrip("/") / "index.html").is_file() or (out / t.lstrip("/")).is_file())]
    msg = f"{html} .html files; {len(targets) - len(missing)}/{len(targets)} linked URLs exist"
    if missing:
        msg += f" (missing e.g. {', '.join(missing[:3])})"
    print(msg)
    return 0


# ---------------------------------------------------------------- senda serve: edit -> reload
def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie (exited, not yet reaped) counts as dead
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


def wait_http(port, pid, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return "senda serve exited before answering"
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            resp = conn.getresponse()
            resp.read()
            conn.close()
            return None
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
    return f"no answer on http://127.0.0.1:{port}/ within {timeout:g} s"


class SSE:
    """Reads an event stream in a thread; yields (arrival time, event name) on a queue."""

    def __init__(self, port, path):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.conn.request("GET", path, headers={"Accept": "text/event-stream", "Cache-Control": "no-cache"})
        sock = self.conn.sock  # http.client drops it from conn when the response is will_close
        self.resp = self.conn.getresponse()
        self.status = self.resp.status
        self.ctype = self.resp.getheader("Content-Type", "")
        self.events = queue.Queue()
        if self.status == 200:
            sock.settimeout(None)  # the reader blocks; the main thread uses queue timeouts
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        name, data = None, []
        try:
            while True:
                raw = self.resp.readline()
                now = time.monotonic()
                if not raw:
                    self.events.put((now, None))  # stream closed
                    return
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if line == "":  # dispatch
                    if name is not None or data:
                        self.events.put((now, name or ("reload" if "reload" in data else "message")))
                    name, data = None, []
                elif line.startswith(":"):
                    continue  # comment / keep-alive
                elif line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except Exception:  # noqa: BLE001 - closed under us at exit
            self.events.put((time.monotonic(), None))

    def drain(self, quiet):
        """Discard events until none arrives for `quiet` seconds (bounded to 10 quiet periods)."""
        for _ in range(10):
            try:
                self.events.get(timeout=quiet)
            except queue.Empty:
                return


def record(args, med, detail):
    if args.record:
        with open(args.record, "a", encoding="utf-8") as f:
            f.write(f"{args.label}\t{med}\t{detail}\n")


def cmd_serve_bench(args):
    """Messages go to stderr (progress); the outcome is appended to --record for the report."""
    def fail(msg, rc):
        print(f"serve: {msg}", file=sys.stderr)
        record(args, "-", msg)
        return rc

    err = wait_http(args.port, args.pid, args.startup_timeout)
    if err:
        return fail(f"not available ({err})", 2)
    try:
        sse = SSE(args.port, args.path)
    except (OSError, http.client.HTTPException) as e:
        return fail(f"not available (GET {args.path}: {e})", 2)
    if sse.status != 200:
        return fail(f"not available (GET {args.path} -> HTTP {sse.status})", 2)
    if "event-stream" not in sse.ctype:
        print(f"serve: warning: {args.path} has Content-Type {sse.ctype!r}", file=sys.stderr)
    sse.drain(1.0)  # initial events, if any
    target = Path(args.file)
    times = []
    for i in range(args.repeats):
        sentence = f"\n\nBenchmark edit number {i + 1}, written at {time.time():.6f}.\n"
        t0 = time.monotonic()
        with target.open("a", encoding="utf-8") as f:
            f.write(sentence)
        deadline = t0 + args.event_timeout
        got = None
        while got is None:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                when, name = sse.events.get(timeout=left)
            except queue.Empty:
                break
            if name is None:
                return fail("event stream closed by the server", 1)
            if name == "reload":
                got = when
        if got is None:
            return fail(f"no reload event within {args.event_timeout:g} s after edit {i + 1}", 1)
        times.append((got - t0) * 1000)
        sse.drain(args.settle)  # duplicate events from the same edit, if any
    med = statistics.median(times)
    runs = ", ".join(f"{t:.0f}" for t in times)
    print(f"serve: edit -> reload median {med:.0f} ms (runs: {runs} ms)", file=sys.stderr)
    record(args, f"{med:.1f}", runs)
    return 0


# ---------------------------------------------------------------- report
def cmd_report(args):
    rows = {}  # (pages, tool) -> list of (wall_s, rss_kb, rc)
    order = []
    for line in Path(args.results).read_text().splitlines():
        pages, tool, run, wall_us, rss_kb, rc = line.split("\t")
        key = (int(pages), tool)
        if key not in rows:
            rows[key] = []
            order.append(key)
        if int(run) > 0:  # run 0 is the warm-up
            rows[key].append((int(wall_us) / 1e6, int(rss_kb or 0), int(rc)))
    print()
    print(f"{'pages/lang':>10}  {'tool':<6} {'runs':>4}  {'median s':>9}  {'peak MB':>8}  {'senda/hugo':>10}")
    verdicts = []
    sizes = sorted({p for p, _ in order})
    for pages in sizes:
        med = {}
        for tool in ("senda", "hugo"):
            runs = rows.get((pages, tool))
            if runs is None:
                continue
            ok = [r for r in runs if r[2] == 0]
            if not ok:
                print(f"{pages:>10}  {tool:<6} {len(runs):>4}  {'FAILED':>9}")
                continue
            m = statistics.median(r[0] for r in ok)
            peak = max(r[1] for r in ok) / 1024
            med[tool] = m
            ratio = ""
            if tool == "hugo" and "senda" in med:
                ratio = f"{med['senda'] / m:.3f}"
            print(f"{pages:>10}  {tool:<6} {len(ok):>4}  {m:>9.3f}  {peak:>8.0f}  {ratio:>10}")
            if tool == "senda":
                verdicts.append((f"peak memory <= {MEM_TARGET_MB} MB at {pages} pages/lang: {peak:.0f} MB",
                                 peak <= MEM_TARGET_MB))
        if "senda" in med and "hugo" in med and pages == RATIO_PAGES:
            r = med["senda"] / med["hugo"]
            verdicts.append((f"senda/hugo <= {RATIO_TARGET} at {pages} pages/lang: {r:.3f}", r <= RATIO_TARGET))
    if RATIO_PAGES not in sizes:
        print(f"\n(the speed target is set at {RATIO_PAGES} pages per language, not measured in this run)")
    if args.serve and Path(args.serve).is_file():
        print()
        for line in Path(args.serve).read_text().splitlines():
            label, med, detail = line.split("\t")
            if med == "-":
                print(f"serve: {detail} [{label} pages/lang]")
            else:
                print(f"serve: edit -> reload at {label} pages/lang: median {float(med):.0f} ms "
                      f"(runs: {detail} ms)")
    if args.cold and Path(args.cold).is_file():
        print(Path(args.cold).read_text().rstrip())
    if verdicts:
        print("\nTargets (informational):")
        for text, ok in verdicts:
            print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return 0


def cmd_median_ms(args):
    vals = [int(x) / 1000 for x in Path(args.file).read_text().split()]
    print(f"{statistics.median(vals):.1f}\t{', '.join(f'{v:.1f}' for v in vals)}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("glossary")
    p.add_argument("json")
    p.add_argument("content")
    p.set_defaults(fn=cmd_glossary)
    sub.add_parser("freeport").set_defaults(fn=cmd_freeport)
    p = sub.add_parser("check-output")
    p.add_argument("--links", action="store_true", help="also check the corpus' links")
    p.add_argument("content")
    p.add_argument("out")
    p.set_defaults(fn=cmd_check_output)
    p = sub.add_parser("serve-bench")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--file", required=True)
    p.add_argument("--path", default="/__senda/events")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--startup-timeout", type=float, default=120)
    p.add_argument("--event-timeout", type=float, default=30)
    p.add_argument("--settle", type=float, default=1.0)
    p.add_argument("--record")
    p.add_argument("--label", default="")
    p.set_defaults(fn=cmd_serve_bench)
    p = sub.add_parser("report")
    p.add_argument("results")
    p.add_argument("--serve")
    p.add_argument("--cold")
    p.set_defaults(fn=cmd_report)
    p = sub.add_parser("median-ms", help="median of microsecond integers in FILE, in ms")
    p.add_argument("file")
    p.set_defaults(fn=cmd_median_ms)
    args = ap.parse_args()
    sys.exit(args.fn(args))


if __name__ == "__main__":
    main()
