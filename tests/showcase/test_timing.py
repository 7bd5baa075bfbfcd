"""Showcase timing: cumulative planned starts, fit and overrun, the overtime report."""
from datetime import UTC, datetime, timedelta

from mipevents.showcase import timing

START = datetime(2025, 1, 22, 15, 45, tzinfo=UTC)


def test_planned_starts_leave_the_changeover_between_presenters():
    plan = timing.planned_starts(START, [180, 180, 180], 15)
    assert [p.starts_at for p in plan] == [START, START + timedelta(seconds=195), START + timedelta(seconds=390)]
    assert [p.ends_at for p in plan] == [START + timedelta(seconds=180), START + timedelta(seconds=375),
                                        START + timedelta(seconds=570)]


def test_planned_starts_accumulate_slots_of_their_own_length():
    plan = timing.planned_starts(START, [180, 300, 60], 10)
    assert [(p.starts_at - START).total_seconds() for p in plan] == [0, 190, 500]
    assert [p.seconds for p in plan] == [180, 300, 60]


def test_planned_starts_of_an_empty_lineup_are_empty():
    assert timing.planned_starts(START, [], 15) == []


def test_total_counts_changeovers_only_between_presenters():
    assert timing.total_seconds([], 15) == 0
    assert timing.total_seconds([180], 15) == 180
    assert timing.total_seconds([180] * 11, 15) == 11 * 180 + 10 * 15


def test_fit_when_the_lineup_fills_the_session_exactly():
    result = timing.fit(START, START + timedelta(seconds=375), [180, 180], 15)
    assert (result.fits, result.overrun_seconds, result.spare_seconds) == (True, 0, 0)


def test_fit_reports_the_overrun_in_seconds():
    result = timing.fit(START, START + timedelta(minutes=10), [180, 180, 180, 180], 15)
    assert result.needed_seconds == 765
    assert result.available_seconds == 600
    assert (result.fits, result.overrun_seconds, result.spare_seconds) == (False, 165, 0)


def test_fit_reports_the_spare_time():
    result = timing.fit(START, START + timedelta(minutes=45), [180] * 11, 15)
    assert (result.fits, result.spare_seconds) == (True, 2700 - 2130)


def test_mmss_formats_whole_seconds_with_sign():
    assert [timing.mmss(s) for s in (0, 5, 59.9, 60, 185, 3600, -15)] == ["0:00", "0:05", "0:59", "1:00", "3:05", "60:00", "-0:15"]


def test_overtime_report_per_presenter_and_in_total():
    actuals = [(START + timedelta(seconds=2), START + timedelta(seconds=212)),     # 210 s: 30 over
               (START + timedelta(seconds=230), START + timedelta(seconds=400)),   # 170 s: 10 under
               (None, None)]
    report = timing.overtime_report(START, [180, 180, 180], 15, actuals)
    assert [r.actual_seconds for r in report.rows] == [210, 170, None]
    assert [r.over_seconds for r in report.rows] == [30, -10, None]
    assert (report.planned_seconds, report.actual_seconds, report.over_seconds) == (360, 380, 20)
    assert report.actual_starts_at == START + timedelta(seconds=2)
    assert report.actual_ends_at == START + timedelta(seconds=400)
    assert report.finish_delay_seconds is None     # one presenter never ran
    assert report.planned_ends_at == START + timedelta(seconds=570)


def test_overtime_report_finish_delay_when_everyone_ran():
    actuals = [(START, START + timedelta(seconds=200)), (START + timedelta(seconds=215), START + timedelta(seconds=420))]
    report = timing.overtime_report(START, [180, 180], 15, actuals)
    assert report.finish_delay_seconds == 420 - 375
