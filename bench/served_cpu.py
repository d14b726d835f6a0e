"""What one request costs when served: gunicorn as in production on a seeded SQLite file, N clients in threads
sending one URL over kept-alive connections, and the workers' CPU time (user + system, from /proc) per request.

    bench/.venv/bin/python bench/served_cpu.py /tmp/samen-profile/samen-1x.db /vragen/ volunteers --clients 8

The file is one bench.profile_pages seeded (its instance folder beside it); `who` is anon, volunteers, residents
or staff (the demo accounts with the published password). Compare with `python -m bench.profile_pages`: the
difference is what serving adds (HTTP parsing, the WSGI environment, threads, several processes). Prints one
line; asserts nothing. Run it on a quiet machine: other load moves req/s, much less the CPU per request.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import APP_BIN, DEMO_PASSWORD, ROOT, free_port, log_in

ACCOUNTS = {"volunteers": "vrijwilliger@demo.samen.nl", "residents": "bewoner1@demo.samen.nl",
            "staff": "medewerker@demo.samen.nl"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", type=Path)
    parser.add_argument("url")
    parser.add_argument("who", choices=["anon", *ACCOUNTS])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", default="3")
    parser.add_argument("--threads", default="8")
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "SAMEN_ENV": "production", "SECRET_KEY": "served-cpu-" + "k" * 32,
           "DATABASE_URL": f"sqlite:///{args.database}", "PRIVACY_CONTROLLER": "Samen benchmark",
           "PRIVACY_CONTACT_EMAIL": "privacy@samen.local",
           "SAMEN_INSTANCE_PATH": str(args.database.parent / "instance"),
           "FLASK_APP": "webapp", "RATELIMIT_ENABLED": "false", "GUNICORN_WORKERS": args.workers,
           "GUNICORN_THREADS": args.threads, "GUNICORN_BIND": f"127.0.0.1:{port}",
           "MAIL_OUTBOX_DIR": str(args.database.parent / "outbox")}
    server = subprocess.Popen([str(APP_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/health")
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        jar = log_in(port, ACCOUNTS[args.who], DEMO_PASSWORD) if args.who != "anon" else {}
        if jar is None:
            raise SystemExit(f"could not log in as {ACCOUNTS[args.who]}")
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}
        stop = time.monotonic() + args.seconds
        answered = [0] * args.clients

        def client(slot: int, until: float, count: bool) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while time.monotonic() < until:
                connection.request("GET", args.url, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise SystemExit(f"{args.url} answered {response.status}")
                if count:
                    answered[slot] += 1

        warm = [threading.Thread(target=client, args=(i, time.monotonic() + 2, False)) for i in range(args.clients)]
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join()
        workers = psutil.Process(server.pid).children()

        def cpu() -> float:
            return sum(w.cpu_times().user + w.cpu_times().system for w in workers)

        stop = time.monotonic() + args.seconds
        before, started = cpu(), time.monotonic()
        threads = [threading.Thread(target=client, args=(i, stop, True)) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        used, wall, total = cpu() - before, time.monotonic() - started, sum(answered)
        print(f"{args.url} as {args.who}, {args.clients} clients, {args.workers} workers x {args.threads} threads: "
              f"{total / wall:.0f} req/s, workers' CPU {1000 * used / max(1, total):.1f} ms per request, "
              f"{used / wall:.2f} cores; load average {os.getloadavg()[0]:.1f}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
