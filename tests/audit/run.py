"""`make audit`: Lighthouse on the home, agenda and registration pages, never part of `make test`.

It migrates a fresh SQLite file, loads the demo, serves the app under gunicorn as `make run` does
(development settings, two workers), runs Lighthouse 12 (tests/audit/package.json, installed with
`npm ci`) in headless Chromium with its default mobile emulation and throttling, prints the four
category scores per page with the audits that cost points, and exits non-zero below the floors:
best practices and SEO 100, accessibility 98, performance 95. On two shared cores performance
moves by a few points from run to run, which is why it is measured here and not in the suite."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = Path(__file__).resolve().parent / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH") or os.environ.get("MIPEVENTS_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
FLOORS = {"performance": 95, "accessibility": 98, "best-practices": 100, "seo": 100}
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(workdir: Path, port: int) -> dict:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'audit.sqlite3'}", "SECRET_KEY": "audit-" + "k" * 40,
           "MIPEVENTS_BASE_URL": f"http://127.0.0.1:{port}", "MAIL_BACKEND": "file", "MAIL_FILE_DIR": str(workdir / "mail"),
           "RATELIMIT_ENABLED": "false"}
    env.pop("MIPEVENTS_TEST_DATABASE_URL", None)
    return env


def flask(args: list[str], env: dict) -> str:
    result = subprocess.run([PYTHON, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def serve(env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen([PYTHON, "-m", "gunicorn", "wsgi:app", "--bind", f"127.0.0.1:{port}", "--worker-class", "gthread",
                                "--workers", "2", "--threads", "4", "--log-level", "warning"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def pages(base: str, env: dict) -> dict[str, str]:
    """The audited pages: home, the past meeting's agenda, and the registration forms of the upcoming
    meeting and webinar."""
    script = ("import json; from sqlalchemy import select; from mipevents import create_app; from mipevents.extensions import db; "
              "from mipevents.meetings.models import Meeting; from mipevents.webinars.models import Webinar; "
              "app = create_app(); app.app_context().push(); "
              "print(json.dumps([list(db.session.execute(select(Meeting.slug).order_by(Meeting.starts_on)).scalars()), "
              "db.session.execute(select(Webinar.slug).order_by(Webinar.starts_at.desc())).scalars().first()]))")
    result = subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    meetings, webinar = json.loads(result.stdout.strip().splitlines()[-1])
    return {"home": f"{base}/", "agenda": f"{base}/meetings/{meetings[0]}/agenda",
            "registration": f"{base}/meetings/{meetings[-1]}/register", "webinar registration": f"{base}/webinars/{webinar}/register"}


def lighthouse(url: str, out: Path) -> dict:
    """Lighthouse's JSON report for `url` (default config: mobile emulation, simulated throttling)."""
    subprocess.run(["node", str(LIGHTHOUSE), url, "--quiet", f"--chrome-flags={CHROME_FLAGS}", "--output=json",
                    f"--output-path={out}", "--only-categories=performance,accessibility,best-practices,seo"],
                   check=True, env={**os.environ, "CHROME_PATH": CHROME})
    return json.loads(out.read_text())


def shortfalls(report: dict, category: str) -> list[str]:
    """The audits that cost `category` points, worst first."""
    audits = report["audits"]
    refs = [r for r in report["categories"][category]["auditRefs"] if r["weight"] > 0]
    lost = [(r["weight"] * (1 - (audits[r["id"]]["score"] or 0)), r["id"]) for r in refs
            if audits[r["id"]]["score"] is not None and audits[r["id"]]["score"] < 1]
    return [f"{audit_id} ({audits[audit_id]['score']:.2f})" for _, audit_id in sorted(lost, reverse=True)]


def main() -> int:
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: npm ci --prefix tests/audit")
    workdir = Path(tempfile.mkdtemp(prefix="mipevents-audit-"))
    port = free_port()
    env = environment(workdir, port)
    flask(["db", "upgrade"], env)
    flask(["demo"], env)
    server = serve(env, port)
    failed = False
    rows = []
    try:
        for name, url in pages(f"http://127.0.0.1:{port}", env).items():
            report = lighthouse(url, workdir / f"{name}.json")
            scores = {c: round(report["categories"][c]["score"] * 100) for c in FLOORS}
            rows.append((name, url, scores))
            for category, floor in FLOORS.items():
                if scores[category] < floor:
                    failed = True
                if scores[category] < 100:
                    print(f"{name} {category} {scores[category]}: " + ", ".join(shortfalls(report, category)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("\n| page | " + " | ".join(FLOORS) + " |\n|---|" + "---:|" * len(FLOORS))
    for name, url, scores in rows:
        print(f"| {name} ({url.split(str(port), 1)[1]}) | " + " | ".join(str(scores[c]) for c in FLOORS) + " |")
    print("floors: " + ", ".join(f"{c} {f}" for c, f in FLOORS.items()))
    print(f"reports: {workdir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
