#!/usr/bin/env python3
"""A login flood: N clients, each from its own loopback address (127.0.1.1, 127.0.1.2, ...),
post unknown user names to a node's /login form as fast as it answers, for S seconds; then the
node's peak resident memory (VmHWM) and how it answered.

    frontera serve --database sqlite:flood.db &
    python3 bench/login_flood.py --pid $! --url http://127.0.0.1:8080 --clients 200 --seconds 10

Each client first fetches the form for its CSRF cookie and token, as a browser (or an attacker
who read the form) does, so every post reaches the password check unless the node throttles it.
"""
import argparse
import collections
import http.client
import re
import threading
import time
import urllib.parse


def status_of(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def client(n, host, port, until, counts, lock):
    source = (f"127.0.{1 + n // 250}.{1 + n % 250}", 0)
    try:
        conn = http.client.HTTPConnection(host, port, timeout=60, source_address=source)
        conn.request("GET", "/login")
        page = conn.getresponse()
        body = page.read().decode("utf-8", "replace")
        cookie = next(
            c.split(";")[0] for c in page.headers.get_all("Set-Cookie") or [] if c.startswith("frontera_login_csrf=")
        )
        token = re.search(r'name="csrf" value="([0-9a-f]{64})"', body).group(1)
    except Exception as e:  # noqa: BLE001 - a client that cannot start is counted, not fatal
        with lock:
            counts[f"setup failed: {type(e).__name__}"] += 1
        return
    i = 0
    while time.monotonic() < until:
        i += 1
        form = urllib.parse.urlencode({"name": f"nobody{n}x{i}", "password": "guess guess guess", "csrf": token})
        try:
            conn.request(
                "POST",
                "/login",
                body=form,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            )
            answer = conn.getresponse()
            answer.read()
            key = answer.status
        except Exception as e:  # noqa: BLE001
            key = type(e).__name__
            conn = http.client.HTTPConnection(host, port, timeout=60, source_address=source)
        with lock:
            counts[key] += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pid", type=int, required=True, help="the node's process id")
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=10)
    args = ap.parse_args()
    url = urllib.parse.urlparse(args.url)
    before = status_of(args.pid)
    counts, lock = collections.Counter(), threading.Lock()
    until = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=client, args=(n, url.hostname, url.port or 80, until, counts, lock), daemon=True)
        for n in range(args.clients)
    ]
    peak_rss = 0
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        rss = int(status_of(args.pid)["VmRSS"].split()[0])
        peak_rss = max(peak_rss, rss)
        time.sleep(0.1)
    after = status_of(args.pid)
    print(f"clients {args.clients}, {args.seconds:g} s")
    print(f"resident before {int(before['VmRSS'].split()[0]) / 1024:.0f} MiB, "
          f"peak sampled {peak_rss / 1024:.0f} MiB, peak (VmHWM) {int(after['VmHWM'].split()[0]) / 1024:.0f} MiB")
    print("answers:", dict(sorted(counts.items(), key=lambda kv: str(kv[0]))))


if __name__ == "__main__":
    main()
