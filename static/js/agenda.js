/* Progressive enhancement of the public agenda and session pages (they work fully without it):
 * - marks "Happening now" and "Up next" from data-starts/data-ends (ISO UTC instants), in the
 *   browser, so a cached page never goes stale about the clock;
 * - offers to also show every time in the viewer's own time zone (remembered in localStorage);
 * - says "Running about 8 minutes late" beside the sessions of a room whose live run is behind, from
 *   the meeting's small live.json (fetched here, so cached HTML never holds it; the published
 *   times stay as they are). */
(function () {
  "use strict";

  var NEXT_WINDOW_MS = 3 * 60 * 60 * 1000; // "Up next" only for what starts within three hours
  var STORAGE_KEY = "mipevents.viewerTimes";

  function parse(iso) { return iso ? Date.parse(iso) : NaN; }

  function setBadge(el, marker, className, text, shown) {
    var holder = el.querySelector(".session-badges");
    var badge = holder && holder.querySelector("." + marker);
    if (!holder) { return; }
    if (shown && !badge) {
      badge = document.createElement("span");
      badge.className = className + " " + marker;
      badge.textContent = text;
      holder.appendChild(badge);
    } else if (!shown && badge) {
      badge.remove();
    }
  }

  function markNow() {
    var now = Date.now();
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-js-agenda] [data-starts], [data-js-agenda][data-starts]"));
    var nextStart = Infinity;
    items.forEach(function (el) {
      var start = parse(el.getAttribute("data-starts"));
      if (start > now && start < nextStart && !el.classList.contains("is-cancelled")) { nextStart = start; }
    });
    items.forEach(function (el) {
      var start = parse(el.getAttribute("data-starts"));
      var end = parse(el.getAttribute("data-ends"));
      var live = !el.classList.contains("is-cancelled");
      var isNow = live && start <= now && now < end;
      var isNext = live && start === nextStart && nextStart - now <= NEXT_WINDOW_MS;
      el.classList.toggle("is-now", isNow);
      el.classList.toggle("is-next", isNext);
      setBadge(el, "js-now", "badge badge-now", "Happening now", isNow);
      setBadge(el, "js-next", "badge badge-next", "Up next", isNext);
    });
  }

  function viewerZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  function clockIn(zone, instant, withZone) {
    var options = { hour: "numeric", minute: "2-digit", timeZone: zone };
    if (withZone) { options.timeZoneName = "short"; }
    return new Intl.DateTimeFormat("en-US", options).format(new Date(instant));
  }

  function dayIn(zone, instant) {
    return new Intl.DateTimeFormat("en-US", { weekday: "short", month: "short", day: "numeric", timeZone: zone }).format(new Date(instant));
  }

  function sameWallClock(zoneA, zoneB, instant) {
    return dayIn(zoneA, instant) + clockIn(zoneA, instant, false) === dayIn(zoneB, instant) + clockIn(zoneB, instant, false);
  }

  function viewerText(meetingZone, zone, start, end) {
    var prefix = dayIn(zone, start) !== dayIn(meetingZone, start) ? dayIn(zone, start) + ", " : "";
    var text = isNaN(end) ? clockIn(zone, start, true) : clockIn(zone, start, false) + " – " + clockIn(zone, end, true);
    return "Your time: " + prefix + text;
  }

  function showViewerTimes(show, meetingZone, zone) {
    Array.prototype.forEach.call(document.querySelectorAll(".viewer-time"), function (el) { el.remove(); });
    if (!show) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-starts] .when, .block-time"), function (el) {
      var holder = el.closest("[data-starts]");
      var start, end;
      if (el.classList.contains("block-time")) {
        start = parse(el.querySelector("time").getAttribute("datetime"));
        end = NaN;
      } else {
        start = parse(holder.getAttribute("data-starts"));
        end = parse(holder.getAttribute("data-ends"));
      }
      var span = document.createElement("span");
      span.className = "viewer-time";
      span.textContent = viewerText(meetingZone, zone, start, end);
      // Below the session's line of facts, not inside it: inside, the line's " · " separators would
      // start the next line with a stray dot.
      var meta = el.closest(".meta");
      if (meta) { meta.insertAdjacentElement("afterend", span); } else { el.appendChild(span); }
    });
  }

  function offerViewerTimes() {
    var note = document.getElementById("zone-note");
    var meetingZone = note && note.getAttribute("data-meeting-zone");
    var zone = viewerZone();
    var first = document.querySelector("[data-starts]");
    if (!note || !meetingZone || !zone || !first) { return; }
    if (sameWallClock(meetingZone, zone, parse(first.getAttribute("data-starts")))) { return; }
    var shown = false;
    try { shown = window.localStorage.getItem(STORAGE_KEY) === "1"; } catch (e) { shown = false; }
    var wrap = document.createElement("p");
    wrap.className = "viewer-zone-toggle no-print";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button secondary";
    button.setAttribute("aria-pressed", shown ? "true" : "false");
    button.textContent = "Also show times in my time zone (" + zone.replace(/_/g, " ") + ")";
    button.addEventListener("click", function () {
      shown = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", shown ? "true" : "false");
      try { window.localStorage.setItem(STORAGE_KEY, shown ? "1" : "0"); } catch (e) { /* private mode */ }
      showViewerTimes(shown, meetingZone, zone);
    });
    wrap.appendChild(button);
    note.insertAdjacentElement("afterend", wrap);
    showViewerTimes(shown, meetingZone, zone);
  }

  var LIVE_POLL_MS = 30000;

  function showLate(live, zone) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-session-id]"), function (el) {
      var late = live.sessions[el.getAttribute("data-session-id")];
      var text = "";
      if (late) {
        text = late.words;
        if (late.expected_start_ms && late.expected_start_ms > parse(el.getAttribute("data-starts"))) {
          text += " · expected " + clockIn(zone, late.expected_start_ms, false);
        }
      }
      var badge = el.querySelector(".js-late");
      if (badge && badge.textContent !== text) { badge.remove(); }
      setBadge(el, "js-late", "badge badge-late", text, Boolean(text));
    });
  }

  function followLateness() {
    var root = document.querySelector("[data-live-url]");
    var note = document.getElementById("zone-note");
    var zone = note && note.getAttribute("data-meeting-zone");
    if (!root || !zone || !window.fetch) { return; }
    var etag = null;
    var poll = function () {
      var headers = etag ? { "If-None-Match": etag } : {};
      fetch(root.getAttribute("data-live-url"), { cache: "no-store", headers: headers })
        .then(function (response) {
          if (response.status === 304 || !response.ok) { return null; }
          etag = response.headers.get("ETag");
          return response.json();
        })
        .then(function (live) { if (live) { showLate(live, zone); } })
        .catch(function () { /* offline: keep what is shown */ })
        .then(function () { window.setTimeout(poll, LIVE_POLL_MS); });
    };
    poll();
  }

  function start() {
    markNow();
    followLateness();
    window.setInterval(markNow, 30000);
    offerViewerTimes();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
