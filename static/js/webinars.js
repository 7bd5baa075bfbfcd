/* Webinar pages: beside the webinar's own time ("12:00 PM CT"), show the viewer's own time when
   their browser's zone shows a different clock. Progressive: the page reads fine without it. */
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) { return; }
  var options = { weekday: "long", month: "long", day: "numeric", hour: "numeric", minute: "2-digit" };
  function clock(date, zone) {
    var opts = Object.assign({}, options);
    if (zone) { opts.timeZone = zone; }
    return new Intl.DateTimeFormat("en-US", opts).format(date);
  }
  document.querySelectorAll("time[data-local-time]").forEach(function (el) {
    var start = new Date(el.getAttribute("datetime"));
    var target = el.parentNode.querySelector(".your-time");
    if (isNaN(start.getTime()) || !target) { return; }
    var zone = el.getAttribute("data-zone");
    try {
      if (zone && clock(start, zone) === clock(start)) { return; }   // the viewer is on the webinar's clock
    } catch (e) { /* an unknown zone: show the viewer's time anyway */ }
    var own = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric",
                                                   hour: "numeric", minute: "2-digit", timeZoneName: "short" });
    target.textContent = "Your time: " + own.format(start);
    target.hidden = false;
  });
}());
