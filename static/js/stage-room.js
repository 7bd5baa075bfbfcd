/* A room's stage screen and the speaker's view (opened with private links): the shared live timer
 * (showcase-timer.js) on the room's state, which shows a showcase presenter's own clock while the
 * showcase on stage runs its line-up; the message to the speaker in large type; blackout and the
 * hidden timer (the stage screen only); and "running late" with the next session's expected start.
 * The late line carries data-late-ms: how far behind its plan the room runs (server time). */
(function () {
  "use strict";

  var LATE_SHOWN_MS = window.ShowcaseTimer.LATE_SHOWN_MS;
  var lateWords = window.ShowcaseTimer.lateWords;

  /* When the session on the room's clock will end at the present pace (stage.projected_end). */
  function projectedEnd(state, now) {
    var cue = state.slot;
    if (!cue) { return null; }
    if (state.status === "running") { return Math.max(state.deadline_ms, now); }
    if (state.status === "paused") { return now + Math.max(state.remaining_ms, 0); }
    if (state.status === "ready") { return Math.max(now, cue.planned_start_ms) + Math.max(state.remaining_ms, 0); }
    return null;
  }

  /* How far behind its plan the room runs (stage.late_by); null when not begun or over. */
  function lateBy(state, now) {
    var end = projectedEnd(state, now);
    return end === null ? null : end - state.slot.planned_end_ms;
  }

  function clock(zone, instant) {
    return new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit", timeZone: zone }).format(new Date(instant));
  }

  function setText(el, text) { if (el && el.textContent !== text) { el.textContent = text; } }
  function setHidden(el, hidden) { if (el && el.hidden !== hidden) { el.hidden = hidden; } }

  function adapter(root) {
    return function (state) {
      root.dataset.orderWord = state.presenter ? "Presenter" : "Session";
      if (!state.presenter) { return state; }
      var merged = {};
      Object.keys(state).forEach(function (key) { merged[key] = state[key]; });
      Object.keys(state.presenter).forEach(function (key) { merged[key] = state.presenter[key]; });
      merged.planned_end_ms = null;
      return merged;
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector(".timer[data-own-display]");
    if (!root) { return; }
    var stageScreen = !document.body.classList.contains("speaker-body");
    var display = new window.ShowcaseTimer.LiveDisplay(root, { adapt: adapter(root) });
    window.stageDisplay = display;
    var message = document.querySelector("[data-message]");
    var late = root.querySelector("[data-late]");
    var expected = root.querySelector("[data-next-expected]");

    function showState(state) {
      setText(message, state.message || "");
      setHidden(message, !state.message);
      if (stageScreen) {
        document.body.dataset.blackout = state.blackout ? "true" : "false";
        root.dataset.hideTimer = state.hide_timer ? "true" : "false";
      }
    }

    function showLate() {
      var state = display.state;
      var now = display.serverNow();
      var behind = lateBy(state, now);
      var shown = behind !== null && behind >= LATE_SHOWN_MS;
      setHidden(late, !shown);
      if (shown) {
        late.setAttribute("data-late-ms", String(Math.round(behind)));
        setText(late, lateWords(behind));
      } else {
        late.removeAttribute("data-late-ms");
        setText(late, "");
      }
      var next = state.next;
      var end = projectedEnd(state, now);
      var text = "";
      if (shown && next && !state.presenter && end !== null && end - next.planned_start_ms >= LATE_SHOWN_MS) {
        text = "· planned " + clock(root.dataset.zone, next.planned_start_ms) + ", expected about " + clock(root.dataset.zone, end);
      }
      setText(expected, text);
    }

    display.listeners.push(showState);
    showState(display.state);
    showLate();
    window.setInterval(showLate, 250);
  });

  window.StageRoom = { projectedEnd: projectedEnd, lateBy: lateBy, lateWords: lateWords };
})();
