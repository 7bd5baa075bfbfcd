"""The print pack's part of `make bench`: seconds to build the briefing book of a convening's busiest
mayor and 300 name badges, as PDF, in a warm process (what a private page's PDF link and the
background badge build each do), against their targets. `tests/bench/run.py` calls
`print_pack_timings` on the large convening of each database it measures; on its own,
`python -m tests.bench.print_pack` generates the large convening, imports it into a fresh SQLite file
and prints the two figures (exit status 1 when one misses its target)."""
import json
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_TARGETS = {"briefing book, busiest speaker (PDF)": 2.0, "300 badges (PDF)": 20.0}

SCRIPT = r"""
import json, sys, time
from sqlalchemy import select, func
from mipevents import create_app
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.speakers.models import Speaker
from mipevents.people.services import person_for_email
from mipevents.printing import badges, briefing, jobs, pdf
app = create_app()
with app.test_request_context():
    meeting = db.session.execute(select(Meeting).where(Meeting.slug == sys.argv[1])).scalar_one()
    busiest = (select(SessionSpeaker.speaker_id).join(AgendaItem).join(Speaker, Speaker.id == SessionSpeaker.speaker_id)
               .where(AgendaItem.meeting_id == meeting.id).group_by(SessionSpeaker.speaker_id)
               .order_by(func.count().desc(), SessionSpeaker.speaker_id).limit(1))
    # A mayor's book (with their showcase slot and receptions) where the convening has one on a session.
    speaker_id = (db.session.execute(busiest.where(Speaker.honorific == "Mayor")).scalar_one_or_none()
                  or db.session.execute(busiest).scalar_one())
    speaker = db.session.get(Speaker, speaker_id)
    sessions = db.session.execute(select(func.count()).select_from(SessionSpeaker).join(AgendaItem)
                                  .where(AgendaItem.meeting_id == meeting.id, SessionSpeaker.speaker_id == speaker_id)).scalar_one()
    if speaker.person is None:
        speaker.person = person_for_email(f"busiest-{speaker.id}@bench.invalid", speaker.name)
        db.session.flush()
    pdf.html_to_pdf('<link rel="stylesheet" href="css/print.css"><p>warm</p>')   # a serving process has loaded Pango and the fonts
    started = time.perf_counter()
    book = briefing.briefing_pdf(speaker.person, meeting)
    book_seconds = time.perf_counter() - started
    started = time.perf_counter()
    made = badges.build_badges(meeting, badges.badge_registrations(meeting)[:300])
    sheet = badges.SHEETS["letter"]
    data = pdf.html_to_pdf(jobs.render_badges(meeting, sheet, made, css_href="css/print.css"))
    badge_seconds = time.perf_counter() - started
    db.session.rollback()
    print(json.dumps({"briefing book, busiest speaker (PDF)": book_seconds, "300 badges (PDF)": badge_seconds,
                      "speaker": speaker.display_name, "speaker_sessions": sessions,
                      "badges": len(made), "book_bytes": len(book), "badge_bytes": len(data)}))
"""


def print_pack_timings(database_url: str, slug: str, env: dict) -> dict:
    """The two timings on the meeting `slug` of `database_url` (already imported with registrants),
    measured in a process of its own with the bench's environment `env`; {} when it failed (said why)."""
    result = subprocess.run([sys.executable, "-c", SCRIPT, slug], cwd=ROOT, env={**env, "DATABASE_URL": database_url},
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stderr[-2000:])
        return {}
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(printing: dict, scale: str = "large") -> list[str]:
    """One line per timing with its target, as the bench prints them."""
    return [f"  {scale:6} {what}: {printing[what]:.2f} s (target ≤ {target:.0f} s)"
            for what, target in PRINT_TARGETS.items() if what in printing]


def main() -> int:
    # The bench's helpers (settings, the flask command); imported here, as run.py imports this module.
    from tests.bench.run import env_for, flask

    workdir = Path(tempfile.mkdtemp(prefix="mipevents-print-bench-"))
    start = (date.today() + timedelta(days=30)).isoformat()
    path = workdir / "large.json"
    path.write_text(flask(["meetings", "generate", "--scale", "large", "--start", start],
                          f"sqlite:///{workdir / 'generate.sqlite3'}"))
    database = f"sqlite:///{workdir / 'print.sqlite3'}"
    flask(["db", "upgrade"], database)
    flask(["meetings", "import", str(path), "--with-registrants"], database)
    slug = json.loads(path.read_text())["meeting"]["slug"]
    printing = print_pack_timings(database, slug, env_for(database))
    print("\n".join(report(printing)))
    if printing:
        print(f"  (the book of {printing['speaker']}, {printing['speaker_sessions']} sessions: {printing['book_bytes']:,} bytes; "
              f"{printing['badges']} badges: {printing['badge_bytes']:,} bytes)")
    return 0 if printing and all(printing[w] <= t for w, t in PRINT_TARGETS.items()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
