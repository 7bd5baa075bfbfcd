/* A presenter's practice timer: the stage's display, counting in this browser only. Its state
 * (absolute instants, like the live run's) is kept in sessionStorage, so a reload loses nothing
 * and nothing is sent to the server. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector(".timer[data-practice]");
    if (!root) { return; }
    var lengthMs = parseInt(root.dataset.lengthMs, 10);
    var amberMs = parseInt(root.dataset.amberMs, 10);
    var redMs = parseInt(root.dataset.redMs, 10);
    var key = "mipevents-practice:" + root.dataset.practice;
    var toggle = root.querySelector("[data-practice-toggle]");
    var state = null;
    try { state = JSON.parse(window.sessionStorage.getItem(key)); } catch (e) { state = null; }
    if (!state || typeof state.status !== "string") { state = { status: "ready", remainingMs: lengthMs, deadline: null }; }

    function save() {
      try { window.sessionStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* private mode: memory only */ }
    }

    function remaining() {
      return state.status === "running" ? state.deadline - Date.now() : state.remainingMs;
    }

    function paint() {
      window.ShowcaseTimer.paint(root, { status: state.status, remainingMs: remaining(), amberMs: amberMs, redMs: redMs });
      var label = state.status === "running" ? "Pause" : state.status === "paused" ? "Resume" : "Start";
      if (toggle.textContent !== label) { toggle.textContent = label; }
    }

    function act(what) {
      if (what === "toggle") {
        if (state.status === "running") {
          state = { status: "paused", remainingMs: state.deadline - Date.now(), deadline: null };
        } else {
          state = { status: "running", remainingMs: null, deadline: Date.now() + state.remainingMs };
        }
      } else if (what === "restart") {
        state = { status: "ready", remainingMs: lengthMs, deadline: null };
      } else if (what === "add30") {
        if (state.status === "running") { state.deadline += 30000; } else { state.remainingMs += 30000; }
      }
      save();
      paint();
    }

    root.querySelectorAll("[data-practice-action]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function (event) {
        act(button.dataset.practiceAction);
        // Clicked with the mouse: give the focus back, so Space or Enter cannot press it again.
        if (event.detail > 0) { button.blur(); }
      });
    });
    root.querySelector("[data-practice-controls]").hidden = false;
    var noscript = root.querySelector("[data-needs-js]");
    if (noscript) { noscript.hidden = true; }

    // Space starts and pauses wherever the focus is, except in a text field (the slot picker):
    // taken in the capture phase before a focused button sees it, and its keyup cancelled, since
    // browsers press a focused button when Space comes back up.
    var textFields = "input, textarea, select, [contenteditable]:not([contenteditable=false])";
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest(textFields)) { return; }
      var what = { " ": "toggle", "k": "toggle", "r": "restart", "a": "add30", "+": "add30" }[event.key.toLowerCase()];
      if (!what) { return; }
      event.preventDefault();
      if (!event.repeat) { act(what); }
    }, true);
    document.addEventListener("keyup", function (event) {
      if (event.key === " " && !event.target.closest(textFields)) { event.preventDefault(); }
    }, true);

    // Painted at once, so a reload shows the kept state from the first frame (never 3:00 for an instant).
    paint();
    function frame() { paint(); window.requestAnimationFrame(frame); }
    window.requestAnimationFrame(frame);
    window.setInterval(paint, 100);
  });
})();
