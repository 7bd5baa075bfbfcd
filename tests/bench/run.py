"""`make bench`: measured speed on generated convenings, never part of `make test`.

For each database (PostgreSQL when reachable, and SQLite) it migrates a fresh database, imports
the medium and the large convening of `flask --app wsgi meetings generate` (with registrants), serves the app under gunicorn with
production settings on loopback, drives load from a separate process (wrk when installed,
otherwise a Python load generator) and prints one table per database: requests/s, p50 and p99
for the hot paths, and the SQL queries one request issues (counted in-process, cache cold); an
"uncached" column from a second server with CACHE_TYPE=NullCache (every request renders: only the
per-session VEVENTs and page rows are kept); a "burst after publish" row per page (a publish, then
200 concurrent first requests: the slowest answer against the uncached p50, as the client saw it
(200 client threads on the same cores queue there too: the same burst with nothing to render is
shown beside it) and as the app timed it (its Server-Timing header), and the renders and previous
versions served, counted from the X-Cache header); and, in-process on the large convening, each page's uncached render time,
what the kept fragments hold, and a pyinstrument profile of each render (bench/results/<stamp>-profile.txt).
The tables are also written to bench/results/<timestamp>.md and .json for comparison.

    BENCH_WORKERS=2 BENCH_DATABASES=sqlite BENCH_PRINT=0 make bench     # the issue's settings, quicker"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from http.client import HTTPConnection
from pathlib import Path

from tests.bench.print_pack import PRINT_TARGETS, print_pack_timings
from tests.bench.print_pack import report as print_pack_report

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PG_URL = os.environ.get("MIPEVENTS_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/mipevents_bench")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 2))))
DATABASES = os.environ.get("BENCH_DATABASES", "postgresql,sqlite").split(",")
PRINT_PACK = os.environ.get("BENCH_PRINT", "1") == "1"
BURST = int(os.environ.get("BENCH_BURST", "200"))
SECRET = "bench-secret-key-bench-secret-key-0123456789"
TOKEN_KEY = "YmVuY2gtdG9rZW4ta2V5LTMyLWJ5dGVzLWxvbmctMDA="   # a Fernet key for the benchmark only
# Production shares rendered pages and feeds through Redis; the bench does too when Redis answers.
REDIS_CACHE = os.environ.get("BENCH_CACHE_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_cache_url() -> str:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_CACHE, socket_connect_timeout=2)
        client.flushdb()
        return REDIS_CACHE
    except Exception:  # no Redis here: each process keeps its own cache
        return ""


CACHE_URL = redis_cache_url()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(database_url: str, port: int | None = None) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET, "MIPEVENTS_ENV": "production",
           "MIPEVENTS_TOKEN_KEY": TOKEN_KEY,
           "MIPEVENTS_BASE_URL": f"http://127.0.0.1:{port or 5000}", "RATELIMIT_ENABLED": "false",
           "MAIL_BACKEND": "file", "MIPEVENTS_WORKERS": str(WORKERS), "CACHE_REDIS_URL": CACHE_URL}
    env.pop("MIPEVENTS_TEST_DATABASE_URL", None)
    return env


def flask(args: list[str], database_url: str) -> str:
    result = subprocess.run([PYTHON, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env_for(database_url),
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def fresh_postgres() -> str | None:
    try:
        import psycopg
        admin_url = PG_URL.rsplit("/", 1)[0] + "/postgres"
        name = PG_URL.rsplit("/", 1)[1]
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        return PG_URL
    except Exception as exc:  # no PostgreSQL here: bench SQLite alone
        print(f"PostgreSQL not available ({exc}); SQLite only.")
        return None


def prepare(database_url: str, files: dict) -> dict:
    """Migrate, import both scales, and pick the URLs to measure."""
    flask(["db", "upgrade"], database_url)
    timings = {}
    for scale, path in files.items():
        started = time.perf_counter()
        flask(["meetings", "import", str(path), "--with-registrants"], database_url)
        timings[scale] = time.perf_counter() - started
    script = r"""
import json
from sqlalchemy import select, func
from mipevents import create_app
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.agenda.models import AgendaItem
from mipevents.registration.models import Registration, SessionChoice
from mipevents.webinars.models import Webinar
from mipevents.people.services import mint_token
app = create_app()
with app.app_context():
    out = {}
    for slug in SLUGS:
        m = db.session.execute(select(Meeting).where(Meeting.slug == slug)).scalar_one()
        items = db.session.execute(select(AgendaItem).where(AgendaItem.meeting_id == m.id, AgendaItem.kind == "panel").order_by(AgendaItem.id)).scalars().all()
        reg = db.session.execute(select(Registration).where(Registration.meeting_id == m.id).order_by(Registration.id).limit(1)).scalar_one()
        for item in items[:4]:
            db.session.add(SessionChoice(registration_id=reg.id, item_id=item.id))
        token = mint_token(reg.person, "feed")
        w = db.session.execute(select(Webinar).where(Webinar.slug.like(f"webinar-{slug.rsplit('-', 1)[1]}-%")).order_by(Webinar.starts_at.desc())).scalars().first()
        w.capacity = 1000000
        speaker_item = items[0]
        out[slug] = {"item": speaker_item.id, "feed_token": token, "webinar": w.slug}
    db.session.commit()
    print(json.dumps(out))
""".replace("SLUGS", repr([json.loads(Path(p).read_text())["meeting"]["slug"] for p in files.values()]))
    result = subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env_for(database_url), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    targets = json.loads(result.stdout.strip().splitlines()[-1])
    return {"targets": targets, "import_seconds": timings}


def count_queries(database_url: str, paths: list[str]) -> dict:
    """SQL statements per request for each path, in-process: [status, cold (nothing cached), warm
    (the same request again, cache kept), conditional (If-None-Match of the warm answer)]."""
    script = r"""
import json, sys
from sqlalchemy import event
from mipevents import create_app
from mipevents.core import http_cache
from mipevents.extensions import cache, db
app = create_app({"CACHE_TYPE": "SimpleCache", "CACHE_REDIS_URL": ""})
paths = json.loads(sys.argv[1])
out = {}
with app.app_context():
    engine = db.engine
    seen = []
    def listener(conn, cursor, statement, *a):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")):
            seen.append(statement)
    event.listen(engine, "before_cursor_execute", listener)
client = app.test_client()
for path in paths:
    client.get(path)                      # imports, first connections: not counted
    with app.app_context():
        cache.clear()
    http_cache.forget_local()
    counts, statuses = [], []
    for headers in ({}, {}, "etag"):
        if headers == "etag":
            headers = {"If-None-Match": response.headers.get("ETag", "")}
        seen.clear()
        response = client.get(path, headers=headers)
        counts.append(len(seen))
        statuses.append(response.status_code)
    out[path] = [statuses[0], *counts]
print(json.dumps(out))
"""
    result = subprocess.run([PYTHON, "-c", script, json.dumps(paths)], cwd=ROOT, env=env_for(database_url),
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stderr[-2000:])
        return {}
    return json.loads(result.stdout.strip().splitlines()[-1])


def start_gunicorn(database_url: str, **extra) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**env_for(database_url, port), **extra}
    process = subprocess.Popen([PYTHON, "-m", "gunicorn", "wsgi:app", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
                                "--worker-class", "gthread", "--threads", "2", "--log-level", "warning",
                                "--backlog", "2048"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


# Every request a new person: wrk's threads each run their own copy of this script, so each is
# numbered in setup() and puts its number in the address beside its own counter.
WRK_POST = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"first_name":"Bench","last_name":"User","email":"bench-%s-%d-%d@example.org","role":"mayor","title":"Mayor","organization":"City","city":"Madison","state":"WI","consent":true}', os.time(), tid, counter)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
"""


def wrk(url: str, headers: dict | None = None, post: bool = False) -> dict:
    args = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{SECONDS}s", "--latency", "--timeout", "10s"]
    for key, value in (headers or {}).items():
        args += ["-H", f"{key}: {value}"]
    script = None
    if post:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
        script.write(WRK_POST)
        script.close()
        args += ["-s", script.name]
    output = subprocess.run(args + [url], capture_output=True, text=True).stdout
    if script:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {}
    for pct in ("50", "99"):
        match = re.search(rf"\s{pct}(?:\.000)?%\s+([\d.]+)(us|ms|s)", output)
        value, unit = float(match.group(1)), match.group(2)
        latency[pct] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, "p50_ms": latency["50"], "p99_ms": latency["99"], "non_2xx": int(errors.group(1)) if errors else 0}


def python_load(url: str, headers: dict | None = None, post: bool = False) -> dict:
    """A load generator for machines without wrk: CONNECTIONS keep-alive connections in threads."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1]
    latencies, errors = [], [0]
    stop = time.monotonic() + SECONDS

    def run(n):
        conn = HTTPConnection(host, int(port), timeout=10)
        i = 0
        while time.monotonic() < stop:
            i += 1
            body = json.dumps({"first_name": "Bench", "last_name": "User", "email": f"bench-py-{n}-{i}-{time.time_ns()}@example.org",
                               "role": "mayor", "title": "Mayor", "organization": "City", "city": "Madison", "state": "WI",
                               "consent": True}) if post else None
            started = time.perf_counter()
            conn.request("POST" if post else "GET", path, body=body,
                         headers={**(headers or {}), **({"Content-Type": "application/json"} if post else {})})
            response = conn.getresponse()
            response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status >= 400:
                errors[0] += 1
        conn.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {"rps": len(latencies) / SECONDS, "p50_ms": latencies[len(latencies) // 2],
            "p99_ms": latencies[int(len(latencies) * 0.99)], "non_2xx": errors[0]}


def measure(url: str, **kwargs) -> dict:
    return wrk(url, **kwargs) if shutil.which("wrk") else python_load(url, **kwargs)


def etag_of(url: str) -> str | None:
    with urllib.request.urlopen(url) as response:
        return response.headers.get("ETag")


def publish(database_url: str, slug: str) -> None:
    """What a publish does to every cached page of a meeting: its version moves on (and the writer
    drops the meeting's head from the shared cache)."""
    script = r"""
import sys
from sqlalchemy import select
from mipevents import create_app
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.meetings.services import touch
app = create_app()
with app.app_context():
    touch(db.session.execute(select(Meeting).where(Meeting.slug == sys.argv[1])).scalar_one())
    db.session.commit()
"""
    result = subprocess.run([PYTHON, "-c", script, slug], cwd=ROOT, env=env_for(database_url), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])


def burst(url: str, count: int = BURST) -> dict:
    """`count` requests at once, each on its own connection: the slowest, and how many rendered."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1]
    ready = threading.Barrier(count)
    results = []

    def one():
        conn = HTTPConnection(host, int(port), timeout=30)
        conn.connect()
        ready.wait()
        started = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        timing = re.search(r"dur=([\d.]+)", response.headers.get("Server-Timing", ""))
        results.append(((time.perf_counter() - started) * 1000, response.status, response.headers.get("X-Cache"),
                        float(timing.group(1)) if timing else 0.0))
        conn.close()

    threads = [threading.Thread(target=one) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies = sorted(r[0] for r in results)
    server = sorted(r[3] for r in results)   # the app's own time (Server-Timing): no queueing in the client
    return {"max_ms": latencies[-1], "p50_ms": latencies[len(latencies) // 2],
            "server_max_ms": server[-1], "server_p50_ms": server[len(server) // 2],
            "renders": sum(1 for r in results if r[2] == "render"),
            "stale": sum(1 for r in results if r[2] == "stale"),
            "server_max_by": {kind: max(r[3] for r in results if r[2] == kind) for kind in {r[2] for r in results}},
            "non_2xx": sum(1 for r in results if r[1] >= 300)}


PROFILE_SCRIPT = r"""
import json, statistics, sys, time
from pyinstrument import Profiler
from sqlalchemy import select
from mipevents import create_app
from mipevents.core import cache
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
app = create_app({"CACHE_TYPE": "NullCache", "CACHE_REDIS_URL": ""})
slug, paths = sys.argv[1], json.loads(sys.argv[2])
client = app.test_client()
out = {"ms": {}, "profile": ""}
for name, path in paths.items():
    client.get(path)                                 # first render: fragments built and kept
    times, cpu = [], []
    for _ in range(15):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    out["ms"][name] = {"median": statistics.median(times), "min": min(times), "cpu": statistics.median(cpu)}
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(10):
        client.get(path)
    profiler.stop()
    out["profile"] += f"\n===== {name} ({path}), 10 uncached renders =====\n" + profiler.output_text(unicode=True, color=False)
out["held"] = {name: {k: v for k, v in stats.items() if k in ("entries", "bytes")}
               for name, stats in cache.stats().items() if stats.get("entries")}
print(json.dumps(out))
"""


def profile_in_process(database_url: str, slug: str, paths: dict) -> dict:
    """Uncached render times (ms) in-process, what the kept fragments hold, and a profile."""
    result = subprocess.run([PYTHON, "-c", PROFILE_SCRIPT, slug, json.dumps(paths)], cwd=ROOT,
                            env=env_for(database_url), capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stderr[-2000:])
        return {}
    return json.loads(result.stdout.strip().splitlines()[-1])


UNCACHED = ("agenda page", "session page", "speakers page", "agenda feed", "API sessions page")
BURSTS = ("agenda page", "agenda feed", "speakers page")


def bench_database(label: str, database_url: str, files: dict) -> dict:
    print(f"\n== {label}: migrating and importing …", flush=True)
    prepared = prepare(database_url, files)
    slugs = list(prepared["targets"])
    rows = []
    process, base = start_gunicorn(database_url)
    try:
        for slug in slugs:
            scale = slug.rsplit("-", 1)[1]
            t = prepared["targets"][slug]
            cases = [
                ("agenda page", f"/meetings/{slug}/agenda", {}),
                ("session page", f"/meetings/{slug}/sessions/{t['item']}", {}),
                ("speakers page", f"/meetings/{slug}/speakers", {}),
                ("agenda feed", f"/meetings/{slug}/agenda.ics", {}),
                ("agenda feed 304", f"/meetings/{slug}/agenda.ics", "etag"),
                ("personal feed", f"/calendar/{t['feed_token']}.ics", {}),
                ("API sessions page", f"/api/v1/meetings/{slug}/sessions?limit=50", {}),
            ]
            queries = count_queries(database_url, [path for _, path, _ in cases])
            for name, path, headers in cases:
                status, cold, warm, conditional = queries.get(path, [None, None, None, None])
                if headers == "etag":
                    tag = etag_of(base + path)
                    headers = {"If-None-Match": tag} if tag else {}
                    warm = conditional
                for _ in range(2 * WORKERS):                 # warm the cache in every worker
                    urllib.request.urlopen(base + path).read()
                result = measure(base + path, headers=headers)
                rows.append({"scale": scale, "what": name, "path": path, **result, "queries": cold,
                             "queries_warm": warm, "status": status})
                print(f"  {scale:6} {name:18} {result['rps']:9.0f}/s  p50 {result['p50_ms']:6.2f} ms  p99 {result['p99_ms']:6.2f} ms",
                      flush=True)
            result = measure(f"{base}/api/v1/webinars/{t['webinar']}/registrations", post=True)
            rows.append({"scale": scale, "what": "registration POST", "path": f"/api/v1/webinars/{t['webinar']}/registrations",
                         **result, "queries": None, "status": 202})
            print(f"  {scale:6} registration POST  {result['rps']:9.0f}/s  p99 {result['p99_ms']:.2f} ms  errors {result['non_2xx']}", flush=True)
        result = measure(base + "/static/css/site.css")
        rows.append({"scale": "-", "what": "static file (ceiling)", "path": "/static/css/site.css", **result, "queries": 0,
                     "queries_warm": 0, "status": 200})
        uncached_rows(database_url, rows)
        for slug in slugs:   # a publish, then BURST concurrent first requests, on the cached server
            for row in [r for r in rows if r["scale"] == slug.rsplit("-", 1)[1] and r["what"] in BURSTS]:
                for _ in range(2 * WORKERS):   # the current version in every worker (a publish before moved it on)
                    urllib.request.urlopen(base + row["path"]).read()
                time.sleep(1.1)
                row["burst_warm"] = burst(base + row["path"])   # the same burst with nothing to render
                publish(database_url, slug)
                time.sleep(1.1)   # the workers' own copies of the meeting's head live one second
                row["burst"] = burst(base + row["path"])
                b = row["burst"]
                print(f"  {row['scale']:6} burst {row['what']:14} max {b['max_ms']:7.1f} ms (warm burst "
                      f"{row['burst_warm']['max_ms']:6.1f} ms)  server max {b['server_max_ms']:6.1f} ms  "
                      f"(uncached p50 {row.get('uncached_p50_ms', 0):.1f} ms)  "
                      f"renders {b['renders']}  stale {b['stale']}  non-2xx {b['non_2xx']}", flush=True)
    finally:
        process.terminate()
        process.wait(timeout=20)
    largest = slugs[-1]
    paths = {r["what"]: r["path"] for r in rows if r["scale"] == largest.rsplit("-", 1)[1] and r["what"] in UNCACHED}
    profiled = profile_in_process(database_url, largest, paths)
    for what, ms in profiled.get("ms", {}).items():
        print(f"  in-process uncached, {largest}: {what:18} median {ms['median']:6.1f} ms  min {ms['min']:6.1f} ms  "
              f"CPU {ms['cpu']:6.1f} ms", flush=True)
    oversold = oversold_check(database_url)
    printing = print_pack_timings(database_url, largest, env_for(database_url)) if PRINT_PACK else {}
    if printing:
        print("\n".join(print_pack_report(printing, largest.rsplit('-', 1)[1])), flush=True)
    return {"database": label, "rows": rows, "import_seconds": prepared["import_seconds"], "oversold": oversold,
            "printing": {"meeting": largest, **printing}, "in_process": {"meeting": largest, **profiled},
            "load": os.getloadavg()}


def uncached_rows(database_url: str, rows: list) -> None:
    """The same pages from a server with no whole-response cache (CACHE_TYPE=NullCache)."""
    process, base = start_gunicorn(database_url, CACHE_TYPE="NullCache", CACHE_REDIS_URL="")
    try:
        for row in [r for r in rows if r["what"] in UNCACHED]:
            for _ in range(2 * WORKERS):             # every worker has built its fragments once
                urllib.request.urlopen(base + row["path"]).read()
            result = measure(base + row["path"])
            row.update({"uncached_rps": result["rps"], "uncached_p50_ms": result["p50_ms"],
                        "uncached_p99_ms": result["p99_ms"]})
            print(f"  {row['scale']:6} {row['what']:18} uncached {result['rps']:7.0f}/s  p50 {result['p50_ms']:6.2f} ms  "
                  f"p99 {result['p99_ms']:6.2f} ms", flush=True)
    finally:
        process.terminate()
        process.wait(timeout=20)


def oversold_check(database_url: str) -> int:
    script = r"""
from sqlalchemy import select, func
from mipevents import create_app
from mipevents.extensions import db
from mipevents.webinars.models import Webinar
from mipevents.registration.models import Registration
app = create_app()
with app.app_context():
    over = 0
    for w in db.session.execute(select(Webinar)).scalars():
        n = db.session.execute(select(func.count()).select_from(Registration).where(Registration.webinar_id == w.id, Registration.status == "confirmed")).scalar_one()
        if w.capacity is not None and n > w.capacity:
            over += n - w.capacity
    print(over)
"""
    result = subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env_for(database_url), capture_output=True, text=True)
    return int(result.stdout.strip() or -1)


def table(result: dict) -> str:
    lines = [f"### {result['database']}", "",
             "Import (with registrants): " + ", ".join(f"{k} {v:.1f} s" for k, v in result["import_seconds"].items())
             + f". Oversold seats after the registration runs: {result['oversold']}.", "",
             f"Load average when it ended: {' / '.join(f'{v:.2f}' for v in result.get('load', ()))}.", "",
             "| scale | what | requests/s | p50 ms | p99 ms | non-2xx/3xx | SQL queries cold | warm "
             "| uncached requests/s | uncached p50 ms | uncached p99 ms |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in result["rows"]:
        cold, warm = r.get("queries"), r.get("queries_warm")
        uncached = (f"{r['uncached_rps']:.0f} | {r['uncached_p50_ms']:.2f} | {r['uncached_p99_ms']:.2f}"
                    if "uncached_rps" in r else " | | ")
        lines.append(f"| {r['scale']} | {r['what']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['non_2xx']} | "
                     f"{'' if cold is None else cold} | {'' if warm is None else warm} | {uncached} |")
    bursts = [r for r in result["rows"] if "burst" in r]
    if bursts:
        lines += ["", f"Burst after publish ({BURST} concurrent first requests after the meeting's version moved on):", "",
                  "| scale | page | slowest ms (client) | same burst, nothing to render | median ms (client) "
                  "| slowest ms (server) | median ms (server) "
                  "| uncached p50 ms | slowest server / uncached p50 | renders | previous version served | non-2xx |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in bursts:
            b, p50 = r["burst"], r.get("uncached_p50_ms")
            ratio = f"{b['server_max_ms'] / p50:.1f}" if p50 else ""
            lines.append(f"| {r['scale']} | {r['what']} | {b['max_ms']:.1f} | {r['burst_warm']['max_ms']:.1f} | "
                         f"{b['p50_ms']:.1f} | {b['server_max_ms']:.1f} | "
                         f"{b['server_p50_ms']:.1f} | {'' if p50 is None else f'{p50:.2f}'} | {ratio} | {b['renders']} | "
                         f"{b['stale']} | {b['non_2xx']} |")
    in_process = result.get("in_process", {})
    if in_process.get("ms"):
        lines += ["", f"In-process, uncached (CACHE_TYPE=NullCache), {in_process['meeting']}: one render, fragments kept", "",
                  "| what | median ms | min ms | CPU ms (median) |", "|---|---:|---:|---:|"]
        lines += [f"| {what} | {ms['median']:.1f} | {ms['min']:.1f} | {ms['cpu']:.1f} |"
                  for what, ms in in_process["ms"].items()]
        lines += ["", "Kept fragments: " + ", ".join(f"{name} {held['entries']} entries, {held['bytes'] / 1024:.0f} KiB"
                                                      for name, held in in_process.get("held", {}).items()) + "."]
    printing = result.get("printing", {})
    if any(what in printing for what in PRINT_TARGETS):
        lines += ["", f"Print pack of {printing['meeting']}:", "", "| what | seconds | target |", "|---|---:|---:|"]
        lines += [f"| {what} | {printing[what]:.2f} | ≤ {target:.0f} |" for what, target in PRINT_TARGETS.items()
                  if what in printing]
    return "\n".join(lines)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="mipevents-bench-"))
    start = (date.today() + timedelta(days=30)).isoformat()
    files = {}
    for scale in ("medium", "large"):
        path = workdir / f"{scale}.json"
        path.write_text(flask(["meetings", "generate", "--scale", scale, "--start", start],
                              f"sqlite:///{workdir / 'generate.sqlite3'}"))
        files[scale] = path
    print(f"mipevents bench: {WORKERS} gunicorn workers, {CONNECTIONS} connections, {SECONDS} s per row, "
          f"load from {'wrk' if shutil.which('wrk') else 'a Python generator'}, "
          f"cache {'Redis' if CACHE_URL else 'per process'}")
    results = []
    pg = fresh_postgres() if "postgresql" in DATABASES else None
    if pg:
        results.append(bench_database("PostgreSQL", pg, files))
    if "sqlite" in DATABASES:
        results.append(bench_database("SQLite", f"sqlite:///{workdir / 'bench.sqlite3'}", files))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    markdown = "\n\n".join(table(r) for r in results)
    (out / f"{stamp}.md").write_text(markdown + "\n")
    profiles = "".join(f"\n##### {r['database']}\n" + r.get("in_process", {}).pop("profile", "") for r in results)
    (out / f"{stamp}-profile.txt").write_text(profiles)
    (out / f"{stamp}.json").write_text(json.dumps(results, indent=1))
    print("\n" + markdown)
    print(f"\nWritten to bench/results/{stamp}.md and .json")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
