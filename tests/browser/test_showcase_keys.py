"""The live show with mouse and keyboard mixed: a click never leaves a button that Space or Enter
presses again, so nobody is skipped and nothing is added twice, on the control page and the
practice timer; overtime reads differently from "30 seconds left", the stage shows how far the
showcase runs behind its plan, and its text keeps 7:1 contrast in every state."""
from datetime import UTC, datetime, timedelta

import pytest

PASSWORD = "correct horse battery staple"
NAMES = ["Mayor Elena Rivera", "Mayor Daniel Okafor", "Mayor Thu Nguyen", "Mayor Ana Silva"]

READ = """() => {
  const el = document.querySelector('[data-countdown]');
  const root = document.querySelector('.timer');
  return {ms: Number(el.getAttribute('data-remaining-ms')), status: root.dataset.status, phase: root.dataset.phase,
          slot: root.dataset.slotId, version: Number(root.dataset.version), focused: document.activeElement.tagName};
}"""

# The WCAG contrast of every visible piece of text on the page, from computed styles: the text's
# colour (with the opacity of it and its ancestors) over the backgrounds layered beneath it.
CONTRASTS = """() => {
  const parse = (c) => { const p = c.match(/[\\d.]+/g).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const over = (top, under) => ({r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
                                 b: top.b * top.a + under.b * (1 - top.a), a: 1});
  const lum = (c) => [c.r, c.g, c.b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                                  .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = Array.from(el.childNodes).filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
    if (!own || !el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') { continue; }
    const chain = [];
    for (let e = el; e; e = e.parentElement) { chain.unshift(e); }
    let background = {r: 255, g: 255, b: 255, a: 1};
    let opacity = 1;
    for (const e of chain) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg.a > 0) { background = over(bg, background); }
      opacity *= Number(getComputedStyle(e).opacity);
    }
    const fg = parse(getComputedStyle(el).color);
    fg.a *= opacity;
    const [hi, lo] = [lum(over(fg, background)), lum(background)].sort((x, y) => y - x);
    found.push({text: own.slice(0, 40), ratio: Math.round((hi + 0.05) / (lo + 0.05) * 100) / 100});
  }
  return found;
}"""


@pytest.fixture
def make_live_showcase(app):
    """make_live_showcase(starts_at, durations) -> ids: a published showcase whose presenters have
    the given lengths (None: the session's 3 minutes), and a staff user."""
    from mipevents.accounts.services import create_user
    from mipevents.agenda.models import AgendaItem
    from mipevents.extensions import db
    from mipevents.meetings.models import Meeting
    from mipevents.showcase.models import ShowcaseSlot

    def make(starts_at, durations=(None, None, None)):
        day = starts_at.date()
        meeting = Meeting(slug="live-showcase", name="Summer Meeting", kind="summer", status="published",
                          starts_on=day - timedelta(days=1), ends_on=day + timedelta(days=1),
                          timezone="America/Chicago", city="Tempe", state="AZ")
        db.session.add(meeting)
        db.session.flush()
        item = AgendaItem(meeting_id=meeting.id, kind="showcase", title="Innovation Showcase", status="published",
                          starts_at=starts_at, ends_at=starts_at + timedelta(minutes=45))
        db.session.add(item)
        db.session.flush()
        slots = [ShowcaseSlot(item_id=item.id, presenter_name=NAMES[n], city="Tempe", state="AZ", title=f"Idea {n + 1}",
                              position=n, status="published", duration_seconds=seconds)
                 for n, seconds in enumerate(durations)]
        db.session.add_all(slots)
        user = create_user("mc@mipevents.test", PASSWORD, role="staff", name="MC")
        db.session.commit()
        return {"slug": meeting.slug, "item_id": item.id, "slot_ids": [s.id for s in slots], "email": user.email}
    return make


def server_run(item_id):
    from mipevents.extensions import db
    from mipevents.showcase.models import ShowcaseRun, ShowcaseSlot

    db.session.rollback()
    run = db.session.query(ShowcaseRun).filter_by(item_id=item_id).one()
    started = [s.actual_started_at is not None
               for s in db.session.query(ShowcaseSlot).filter_by(item_id=item_id).order_by(ShowcaseSlot.position)]
    return {"status": run.state, "slot": run.current_slot_id, "version": run.version, "added": run.added_seconds,
            "remaining_ms": run.remaining_us / 1000 if run.remaining_us is not None else None,
            "deadline_ms": run.deadline_at.timestamp() * 1000 if run.deadline_at else None, "started": started}


def wait_for(page, status, slot=None, version=None):
    page.wait_for_function(
        """(a) => { const r = document.querySelector('.timer');
                    return r.dataset.status === a.status && (a.slot === null || r.dataset.slotId === String(a.slot))
                           && (a.version === null || Number(r.dataset.version) >= a.version); }""",
        arg={"status": status, "slot": slot, "version": version})


def test_control_page_mouse_then_space_skips_nobody_and_adds_nothing_twice(start_server, new_page, staff_login,
                                                                          make_live_showcase, assert_accessible):
    show = make_live_showcase(datetime(2099, 6, 11, 15, 45, tzinfo=UTC))
    first, second, third = show["slot_ids"]
    server = start_server(workers=2)
    control = new_page()
    staff_login(control, server, show["email"], PASSWORD)
    control.goto(f"{server.url}/meetings/{show['slug']}/showcase/control")
    assert_accessible(control)

    control.get_by_role("button", name="Start Space", exact=True).click()
    wait_for(control, "running", slot=first)
    control.get_by_role("button", name="Next presenter, not started N or →").click()
    wait_for(control, "ready", slot=second)
    assert control.evaluate(READ)["focused"] == "BODY"          # the click gave the focus back

    control.keyboard.press("Space")                              # starts the presenter loaded
    wait_for(control, "running", slot=second)
    assert server_run(show["item_id"])["started"] == [True, True, False]
    control.keyboard.press("Space")                              # and pauses them
    wait_for(control, "paused", slot=second)
    paused = server_run(show["item_id"])

    control.get_by_role("button", name="Add 30 s A or +").click()
    control.wait_for_function("() => document.querySelector('[data-added]').textContent === '+0:30 added'")
    control.keyboard.press("Enter")                              # would press a button still focused
    control.keyboard.press("Space")                              # resumes
    wait_for(control, "running", slot=second)
    run = server_run(show["item_id"])
    assert (run["slot"], run["added"], run["started"]) == (second, 30, [True, True, False])
    assert run["version"] == paused["version"] + 2               # add 30 s, resume: nothing more
    control.keyboard.press("Space")
    wait_for(control, "paused", version=run["version"] + 1)
    run = server_run(show["item_id"])
    assert paused["remaining_ms"] + 30_000 - 5_000 < run["remaining_ms"] <= paused["remaining_ms"] + 30_000

    # Space wherever the focus is: on a link too, but not in a text field.
    control.get_by_role("link", name="Open the stage display").focus()
    control.keyboard.press("Space")
    wait_for(control, "running", slot=second)
    assert len(control.context.pages) == 1

    # Next and start is its own control: the third presenter runs at once.
    control.keyboard.press("Shift+N")
    wait_for(control, "running", slot=third)
    assert server_run(show["item_id"])["started"] == [True, True, True]
    control.get_by_role("button", name="Pause Space").click()
    wait_for(control, "paused", slot=third)
    assert control.evaluate(READ)["focused"] == "BODY"
    assert_accessible(control)


def test_practice_timer_mouse_then_space_pauses_and_adds_nothing_twice(start_server, new_page, make_live_showcase,
                                                                      assert_accessible):
    show = make_live_showcase(datetime(2099, 6, 11, 15, 45, tzinfo=UTC))
    server = start_server(workers=1)
    page = new_page()
    page.goto(f"{server.url}/meetings/{show['slug']}/showcase/practice?slot={show['slot_ids'][0]}")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_function("() => document.querySelector('.timer').dataset.status === 'running'")
    assert page.evaluate(READ)["focused"] == "BODY"
    page.keyboard.press("Space")
    assert page.evaluate(READ)["status"] == "paused"
    paused = page.evaluate(READ)["ms"]
    page.get_by_role("button", name="Add 30 s").click()
    page.keyboard.press("Enter")
    assert page.evaluate(READ) | {"focused": None} == {"ms": paused + 30_000, "status": "paused", "phase": "calm",
                                                       "slot": str(show["slot_ids"][0]), "version": 0, "focused": None}
    page.keyboard.press("Space")
    assert page.evaluate(READ)["status"] == "running"
    page.keyboard.press("Space")
    reading = page.evaluate(READ)
    assert reading["status"] == "paused" and paused + 25_000 < reading["ms"] <= paused + 30_000
    page.get_by_label("Practise for").focus()                    # a text field keeps its Space
    page.keyboard.press("Space")
    assert page.evaluate(READ)["status"] == "paused"
    assert_accessible(page)


def test_stage_overtime_reads_apart_shows_the_delay_and_keeps_7_to_1(start_server, new_page, staff_login,
                                                                    make_live_showcase, assert_accessible):
    # Planned to begin two minutes ago; the first presenter has 2 seconds, so overtime comes soon.
    planned = (datetime.now(UTC) - timedelta(minutes=2)).replace(microsecond=0)
    show = make_live_showcase(planned, durations=(2, None))
    server = start_server(workers=1)
    base = f"{server.url}/meetings/{show['slug']}/showcase"
    stage = new_page(1920, 1080)
    stage.goto(base + "/stage")
    control = new_page()
    staff_login(control, server, show["email"], PASSWORD)
    control.goto(base + "/control")
    contrasts = {}

    def measure(name):
        contrasts[name] = stage.evaluate(CONTRASTS)

    wait_for(stage, "idle")
    stage.wait_for_selector("[data-behind]", state="visible")   # begun late: it says so before the start
    measure("idle")
    control.keyboard.press("Space")
    wait_for(stage, "running", slot=show["slot_ids"][0])
    measure("red")
    run = server_run(show["item_id"])
    behind = stage.evaluate("() => [Number(document.querySelector('[data-behind]').dataset.behindMs), "
                            "document.querySelector('[data-behind]').textContent]")
    expected = run["deadline_ms"] - (planned + timedelta(seconds=2)).timestamp() * 1000
    assert abs(behind[0] - expected) <= 250, (behind, expected)
    seconds = round(behind[0] / 1000)
    assert behind[1] == f"Showcase {seconds // 60}:{seconds % 60:02d} behind plan"
    assert 120 <= seconds < 180
    stage.wait_for_function("() => document.querySelector('.timer').dataset.phase === 'over'")
    words = stage.locator("[data-phase-words]")
    assert (words.inner_text(), stage.locator("[data-countdown]").inner_text()[0]) == ("OVERTIME", "+")
    styles = stage.evaluate("""() => { const s = getComputedStyle(document.querySelector('.timer'));
                                       const w = getComputedStyle(document.querySelector('.timer-words'));
                                       return [s.backgroundColor, s.color, w.animationName]; }""")
    assert styles == ["rgb(255, 255, 255)", "rgb(122, 0, 25)", "showcase-pulse"]
    measure("over")
    assert_accessible(stage)
    control.keyboard.press("Space")
    wait_for(stage, "paused")
    measure("paused in overtime")
    control.keyboard.press("n")
    wait_for(stage, "ready", slot=show["slot_ids"][1])
    measure("ready")
    # The phases a 3-minute slot passes through, painted by the page's own script.
    for name, ms in (("calm", 90_000), ("amber", 45_000), ("time", -1000)):
        contrasts[name] = stage.evaluate(
            """(ms) => { ShowcaseTimer.paint(document.querySelector('.timer'),
                                             {status: 'running', remainingMs: ms, amberMs: 60000, redMs: 30000, behindMs: 150000});
                         return (""" + CONTRASTS + """)(); }""", ms)
    control.keyboard.press("n")
    wait_for(stage, "finished")
    measure("finished")

    low = {state: [c for c in found if c["ratio"] < 7] for state, found in contrasts.items()}
    assert low == {state: [] for state in contrasts}
    assert all(any(c["text"] == "Innovation Showcase · Summer Meeting" for c in found) for found in contrasts.values())


def test_overtime_pulse_stops_for_reduced_motion(start_server, new_page, make_live_showcase):
    show = make_live_showcase(datetime(2099, 6, 11, 15, 45, tzinfo=UTC))
    server = start_server(workers=1)
    stage = new_page(reduced_motion="reduce")
    stage.goto(f"{server.url}/meetings/{show['slug']}/showcase/stage")
    names = stage.evaluate("""() => { const root = document.querySelector('.timer');
      ShowcaseTimer.paint(root, {status: 'running', remainingMs: -5000, amberMs: 60000, redMs: 30000});
      return [root.dataset.phase, getComputedStyle(root.querySelector('.countdown')).animationName,
              getComputedStyle(root.querySelector('.timer-words')).animationName]; }""")
    assert names == ["over", "none", "none"]


