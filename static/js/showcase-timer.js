/* The showcase timer display, shared by the stage, the control page and the practice timer.
 *
 * Live displays (an element with data-state-url) poll the run's state every 250 ms with the last
 * ETag (an unchanged state is a cheap 304), estimate the offset between this device's clock and
 * the server's from each answer's X-Server-Time-Ms (requests sent with cache: "no-store"; the
 * sample with the shortest round trip wins), and count locally between polls from absolute
 * instants: a dropped network or a closed control page never stops or skews the countdown.
 * The countdown element carries data-remaining-ms: the remaining time it shows (negative in
 * overtime); the delay line carries data-behind-ms, how far the showcase runs behind its plan. */
(function () {
  "use strict";

  var POLL_MS = 250;
  var TIME_SHOWN_MS = 3000;   // "Time" stays up this long at zero, then the overtime counts up

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function mmss(totalSeconds) {
    return Math.floor(totalSeconds / 60) + ":" + pad(totalSeconds % 60);
  }

  /* What the countdown reads for `ms` remaining: whole seconds rounded up while time remains
     (3:00 ... 0:01), "Time" at zero, then "+m:ss" counting the overtime up. */
  function countdownText(ms) {
    if (ms > 0) { return mmss(Math.ceil(ms / 1000)); }
    if (-ms < TIME_SHOWN_MS) { return "Time"; }
    return "+" + mmss(Math.floor(-ms / 1000));
  }

  function phaseFor(ms, amberMs, redMs) {
    if (ms <= 0) { return -ms < TIME_SHOWN_MS ? "time" : "over"; }
    if (ms <= redMs) { return "red"; }
    if (ms <= amberMs) { return "amber"; }
    return "calm";
  }

  var PHASE_WORDS = { calm: "", amber: "One minute left", red: "30 seconds left", time: "Time", over: "Overtime" };
  var STATUS_WORDS = { ready: "Ready", paused: "Paused", idle: "Starting soon", finished: "The showcase is over" };
  var ON_PLAN_MS = 15000;                  // closer to the plan than this reads "on schedule"
  var REHEARSAL_MS = 6 * 3600 * 1000;      // further from it: a rehearsal on another day, no delay shown

  /* How far the showcase as a whole runs behind its plan at server time `serverNow` (negative:
     ahead), from when the slot on stage will end against when the plan ends it; null when there
     is nothing to compare (finished, no plan, a rehearsal, or not begun and not yet due). */
  function behindPlan(state, serverNow) {
    if (state.planned_end_ms === null || state.planned_end_ms === undefined) { return null; }
    var end;
    if (state.status === "running") { end = Math.max(state.deadline_ms, serverNow); }
    else if (state.status === "ready" || state.status === "paused") { end = serverNow + Math.max(state.remaining_ms, 0); }
    else if (state.status === "idle" && state.next) { end = serverNow + state.next.seconds * 1000; }
    else { return null; }
    var behind = end - state.planned_end_ms;
    if (Math.abs(behind) > REHEARSAL_MS || (state.status === "idle" && behind < ON_PLAN_MS)) { return null; }
    return behind;
  }

  function behindText(ms, noun) {
    noun = noun || "Showcase";
    if (Math.abs(ms) < ON_PLAN_MS) { return noun + " on schedule"; }
    var amount = mmss(Math.round(Math.abs(ms) / 1000));
    return noun + " " + amount + (ms > 0 ? " behind plan" : " ahead of plan");
  }

  function setText(root, selector, text) {
    var el = root.querySelector(selector);
    if (el && el.textContent !== text) { el.textContent = text; }
    return el;
  }

  function setHidden(el, hidden) {
    if (el && el.hidden !== hidden) { el.hidden = hidden; }
  }

  var LATE_SHOWN_MS = 2 * 60 * 1000;     // stage.LATE_SHOWN: less than this is "on time"

  /* How late the session starts because its room's run is behind, at server time `serverNow`
     (stage.start_bound: the start is max(floor, end of the session on the room's clock + after));
     null when the room's run is not on an earlier session. */
  function roomLate(room, serverNow) {
    if (!room) { return null; }
    var end;
    if (room.status === "running") { end = Math.max(room.deadline_ms, serverNow); }
    else if (room.status === "paused") { end = serverNow + Math.max(room.remaining_ms, 0); }
    else { end = Math.max(serverNow, room.cue_planned_start_ms) + Math.max(room.remaining_ms, 0); }
    return Math.max(room.floor_ms, end + room.after_ms) - room.planned_start_ms;
  }

  function lateWords(ms) {
    var minutes = Math.max(Math.round(ms / 60000), 1);
    return "Running about " + minutes + " minute" + (minutes !== 1 ? "s" : "") + " late";
  }

  /* The "running late" line of a showcase that has not begun, from its room's run. */
  function paintRoomLate(root, room, serverNow) {
    var el = root.querySelector("[data-room-late]");
    if (!el) { return; }
    var late = roomLate(room, serverNow);
    var shown = late !== null && late >= LATE_SHOWN_MS;
    setHidden(el, !shown);
    if (shown) {
      el.setAttribute("data-late-ms", String(Math.round(late)));
      setText(root, "[data-room-late]", lateWords(late));
    } else {
      el.removeAttribute("data-late-ms");
      setText(root, "[data-room-late]", "");
    }
  }

  /* Paint `root` (a .timer) for a state and the remaining milliseconds (null: no clock). */
  function paint(root, view) {
    var countdown = root.querySelector("[data-countdown]");
    var ms = view.remainingMs;
    var phase = ms === null ? "none" : phaseFor(ms, view.amberMs, view.redMs);
    if (root.dataset.phase !== phase) { root.dataset.phase = phase; }
    if (root.dataset.status !== view.status) { root.dataset.status = view.status; }
    if (ms === null) {
      countdown.removeAttribute("data-remaining-ms");
      setText(root, "[data-countdown]", "");
      setHidden(countdown, true);
    } else {
      countdown.setAttribute("data-remaining-ms", String(Math.round(ms)));
      setText(root, "[data-countdown]", countdownText(ms));
      setHidden(countdown, false);
    }
    var words = view.status === "running" ? PHASE_WORDS[phase]
      : (view.status === "finished" && root.dataset.finishedWords) || STATUS_WORDS[view.status] || "";
    if (view.status === "paused" && ms !== null && ms <= 0) { words = "Paused · overtime"; }
    setText(root, "[data-phase-words]", words);
    var behind = root.querySelector("[data-behind]");
    if (behind) {
      var late = view.behindMs === undefined ? null : view.behindMs;
      setHidden(behind, late === null);
      if (late === null) {
        behind.removeAttribute("data-behind-ms");
        setText(root, "[data-behind]", "");
      } else {
        behind.setAttribute("data-behind-ms", String(Math.round(late)));
        setText(root, "[data-behind]", behindText(late, root.dataset.behindNoun));
        if (behind.dataset.late !== String(late >= ON_PLAN_MS)) { behind.dataset.late = String(late >= ON_PLAN_MS); }
      }
    }
  }

  /* The text parts of the display from a state.json body. A room's stage names its own words in
     data attributes (data-order-word, data-idle-name, data-idle-title). */
  function describe(root, state) {
    var slot = state.slot;
    var next = state.next;
    var data = root.dataset;
    var presenter = slot ? slot.presenter : (state.status === "finished" ? "Thank you" : (data.idleName || "Innovation Showcase"));
    setText(root, "[data-presenter]", presenter);
    setText(root, "[data-location]", slot ? slot.location : "");
    setText(root, "[data-title]", slot ? slot.title : (state.status === "idle" ? (data.idleTitle || "The showcase will begin shortly.") : ""));
    setText(root, "[data-order]", slot ? (data.orderWord || "Presenter") + " " + slot.order + " of " + state.count : "");
    setText(root, "[data-added]", state.added_ms > 0 ? "+" + mmss(Math.round(state.added_ms / 1000)) + " added" : "");
    var nextEl = root.querySelector("[data-next]");
    if (nextEl) {
      setHidden(nextEl, !next);
      setText(root, "[data-next-name]", next ? next.presenter + (next.location ? ", " + next.location : "") : "");
    }
    root.dataset.version = String(state.version);
    root.dataset.slotId = slot ? String(slot.id) : "";
  }

  /* Remaining ms of a state at server time `serverNow`. */
  function remainingAt(state, serverNow) {
    if (state.status === "running" && state.deadline_ms !== null) { return state.deadline_ms - serverNow; }
    if ((state.status === "ready" || state.status === "paused") && state.remaining_ms !== null) { return state.remaining_ms; }
    if (state.status === "idle" && state.next) { return state.next.seconds * 1000; }
    return null;
  }

  /* A live display bound to `root`: polls, keeps the offset, paints every frame. `options.adapt`
     maps a state.json body to what the clock shows (a room's stage: a showcase presenter's clock
     while its line-up runs); listeners get the body itself. */
  function LiveDisplay(root, options) {
    this.root = root;
    this.url = root.dataset.stateUrl;
    this.adapt = (options && options.adapt) || function (state) { return state; };
    this.state = JSON.parse(root.querySelector("[data-initial-state]").textContent);
    this.etag = null;
    this.samples = [];
    this.offset = 0;           // server clock minus this device's clock, in ms
    this.online = true;
    this.listeners = [];
    var self = this;
    describe(root, this.adapt(this.state));
    this.frame = function () { self.tick(); window.requestAnimationFrame(self.frame); };
    window.requestAnimationFrame(this.frame);
    window.setInterval(function () { self.tick(); }, 100);   // rAF sleeps in hidden tabs
    this.poll();
  }

  LiveDisplay.prototype.serverNow = function () {
    return performance.timeOrigin + performance.now() + this.offset;
  };

  LiveDisplay.prototype.tick = function () {
    var s = this.adapt(this.state);
    var now = this.serverNow();
    paint(this.root, { status: s.status, remainingMs: remainingAt(s, now), amberMs: s.amber_ms, redMs: s.red_ms,
                       behindMs: behindPlan(s, now) });
    paintRoomLate(this.root, s.room_run, now);
  };

  LiveDisplay.prototype.sample = function (response, sentAt, receivedAt) {
    var server = parseFloat(response.headers.get("X-Server-Time-Ms"));
    if (isNaN(server)) { return; }
    var midpoint = performance.timeOrigin + (sentAt + receivedAt) / 2;
    this.samples.push({ offset: server - midpoint, rtt: receivedAt - sentAt });
    if (this.samples.length > 40) { this.samples.shift(); }
    var best = this.samples[0];
    for (var i = 1; i < this.samples.length; i++) {
      if (this.samples[i].rtt < best.rtt) { best = this.samples[i]; }
    }
    this.offset = best.offset;
  };

  LiveDisplay.prototype.setState = function (state) {
    if (state.version < this.state.version) { return; }   // an older answer overtaken by an action
    this.state = state;
    describe(this.root, this.adapt(state));
    this.tick();
    this.listeners.forEach(function (fn) { fn(state); });
  };

  LiveDisplay.prototype.setOnline = function (online) {
    if (this.online === online) { return; }
    this.online = online;
    setHidden(this.root.querySelector("[data-offline]"), online);
  };

  LiveDisplay.prototype.poll = function () {
    var self = this;
    var headers = {};
    if (this.etag) { headers["If-None-Match"] = this.etag; }
    var sentAt = performance.now();
    fetch(this.url, { cache: "no-store", headers: headers, credentials: "same-origin" })
      .then(function (response) {
        var receivedAt = performance.now();
        self.sample(response, sentAt, receivedAt);
        if (response.status === 304) { return null; }
        if (!response.ok) { throw new Error("state " + response.status); }
        self.etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (state) {
        self.setOnline(true);
        if (state) { self.setState(state); }
      })
      .catch(function () { self.setOnline(false); })
      .then(function () { window.setTimeout(function () { self.poll(); }, POLL_MS); });
  };

  window.ShowcaseTimer = { paint: paint, countdownText: countdownText, phaseFor: phaseFor, behindPlan: behindPlan,
                           behindText: behindText, roomLate: roomLate, lateWords: lateWords,
                           LATE_SHOWN_MS: LATE_SHOWN_MS, LiveDisplay: LiveDisplay };

  /* The stage: keep the screen awake while the display is visible, and offer full screen. */
  function stageComforts() {
    if (navigator.wakeLock && navigator.wakeLock.request) {
      var lock = function () {
        if (document.visibilityState === "visible") { navigator.wakeLock.request("screen").catch(function () {}); }
      };
      lock();
      document.addEventListener("visibilitychange", lock);
    }
    var button = document.querySelector("[data-fullscreen]");
    if (button && document.documentElement.requestFullscreen) {
      button.hidden = false;
      button.addEventListener("click", function () {
        if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen(); }
      });
      document.addEventListener("fullscreenchange", function () {
        button.textContent = document.fullscreenElement ? "Leave full screen" : "Full screen";
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector(".timer[data-state-url]:not([data-own-display])");
    if (root) { window.showcaseDisplay = new LiveDisplay(root); }
    if (document.querySelector(".stage")) { stageComforts(); }
  });
})();
