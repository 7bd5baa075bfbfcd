/* The showcase control page: its action buttons are plain forms (they work without JavaScript);
 * here they are sent with fetch (the CSRF token in X-CSRFToken) so the page stays put and shows the
 * new state at once, and keyboard shortcuts press them. */
(function () {
  "use strict";

  /* Keys by what they do; Space is "toggle" wherever focus is, except in a text field. */
  var KEYS = {
    " ": "toggle", "k": "toggle", "n": "next", "arrowright": "next", "p": "previous", "arrowleft": "previous",
    "r": "restart", "a": "add30", "+": "add30", "=": "add30"
  };
  var TEXT_FIELDS = "input, textarea, select, [contenteditable]:not([contenteditable=false])";

  function allowed(state) {
    var s = state.status;
    var set = {
      idle: state.count ? ["start"] : [],
      ready: ["start", "next", "restart", "add30"],
      running: ["pause", "next", "restart", "add30"],
      paused: ["resume", "next", "restart", "add30"],
      finished: state.count ? ["previous"] : []
    }[s] || [];
    if (state.slot && state.slot.order > 1) { set = set.concat(["previous"]); }
    return set;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var display = window.showcaseDisplay;
    var panel = document.querySelector("[data-control]");
    if (!display || !panel) { return; }
    var token = document.querySelector("meta[name=csrf-token]").getAttribute("content");
    var message = document.querySelector("[data-control-message]");
    var busy = false;

    function refreshButtons(state) {
      var ok = allowed(state);
      panel.querySelectorAll("form[data-action]").forEach(function (form) {
        var button = form.querySelector("button");
        button.disabled = ok.indexOf(form.dataset.action) < 0;
      });
      document.querySelectorAll("[data-lineup-slot]").forEach(function (row) {
        var current = state.slot && row.dataset.lineupSlot === String(state.slot.id);
        if (current) { row.setAttribute("aria-current", "step"); } else { row.removeAttribute("aria-current"); }
      });
    }

    /* Presses made while an action is on its way wait their turn (at most a few), and each is
       resolved against the newest state when its turn comes: "toggle" becomes pause, resume or
       start then, and a press that no longer applies is dropped. A refused action drops the rest. */
    var queue = [];

    function resolve(what) {
      if (what !== "toggle") { return what; }
      var status = display.state.status;
      return status === "running" ? "pause" : status === "paused" ? "resume" : "start";
    }

    function press(what) {
      if (queue.length < 4) { queue.push(what); }
      if (!busy) { sendNext(); }
    }

    function sendNext() {
      if (!queue.length) { return; }
      var action = resolve(queue.shift());
      var form = panel.querySelector("form[data-action='" + action + "']");
      if (!form || form.querySelector("button").disabled) { sendNext(); return; }
      busy = true;
      fetch(form.action, {
        method: "POST", credentials: "same-origin", cache: "no-store",
        headers: { "X-CSRFToken": token, "Accept": "application/json", "X-Run-Version": String(display.state.version) }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (result.ok) {
          message.textContent = "";
          display.setState(result.body);
        } else {
          queue = [];
          message.textContent = result.body.message || "That did not work.";
        }
      }).catch(function () {
        queue = [];
        message.textContent = "The server could not be reached; try again.";
      }).then(function () { busy = false; sendNext(); });
    }

    panel.addEventListener("submit", function (event) {
      var form = event.target.closest("form[data-action]");
      if (!form) { return; }
      event.preventDefault();
      press(form.dataset.action);
    });

    var sequence = panel.querySelector("[data-sequence]");
    if (sequence) {
      sequence.hidden = false;
      sequence.closest("li").hidden = false;
      sequence.addEventListener("click", function () { press("next"); press("start"); });
    }

    // A button clicked with the mouse gives its focus back, so Space or Enter cannot press it again.
    panel.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (button && event.detail > 0) { button.blur(); }
    });

    function inTextField(event) {
      return event.target.closest && event.target.closest(TEXT_FIELDS);
    }

    // Capture, so Space is ours before a focused button or link sees it; its keyup is cancelled
    // too, since browsers press a focused button when Space comes back up.
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || inTextField(event)) { return; }
      var key = event.key.toLowerCase();
      var what = event.shiftKey && key === "n" ? "nextstart" : KEYS[key];
      if (!what) { return; }
      event.preventDefault();
      if (event.repeat) { return; }
      if (what === "nextstart") { press("next"); press("start"); } else { press(what); }
    }, true);
    document.addEventListener("keyup", function (event) {
      if (event.key === " " && !inTextField(event)) { event.preventDefault(); }
    }, true);

    function refreshSequence(state) {
      if (sequence) { sequence.disabled = allowed(state).indexOf("next") < 0; }
    }

    display.listeners.push(refreshSequence);
    refreshSequence(display.state);
    display.listeners.push(refreshButtons);
    refreshButtons(display.state);
  });
})();
