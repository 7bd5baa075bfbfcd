/* The showcase control page: its action buttons are plain forms (they work without JavaScript);
 * here they are sent with fetch (the CSRF token in X-CSRFToken) so the page stays put and shows the
 * new state at once, and keyboard shortcuts press them. */
(function () {
  "use strict";

  var KEYS = {
    " ": "toggle", "k": "toggle", "n": "next", "ArrowRight": "next", "p": "previous", "ArrowLeft": "previous",
    "r": "restart", "a": "add30", "+": "add30", "=": "add30"
  };

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

    function send(action) {
      var form = panel.querySelector("form[data-action='" + action + "']");
      if (!form || busy || form.querySelector("button").disabled) { return; }
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
          message.textContent = result.body.message || "That did not work.";
        }
      }).catch(function () {
        message.textContent = "The server could not be reached; try again.";
      }).then(function () { busy = false; });
    }

    panel.addEventListener("submit", function (event) {
      var form = event.target.closest("form[data-action]");
      if (!form) { return; }
      event.preventDefault();
      send(form.dataset.action);
    });

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var target = event.target;
      if (target.closest("input, textarea, select, [contenteditable]")) { return; }
      var what = KEYS[event.key];
      if (!what) { return; }
      // A focused button answers Space and Enter itself; do not press twice.
      if (event.key === " " && target.closest("button, a")) { return; }
      event.preventDefault();
      if (what === "toggle") {
        var status = display.state.status;
        what = status === "running" ? "pause" : status === "paused" ? "resume" : "start";
      }
      send(what);
    });

    display.listeners.push(refreshButtons);
    refreshButtons(display.state);
  });
})();
