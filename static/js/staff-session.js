// Warns ten minutes before the staff session ends (a day after signing in, or two idle hours).
// Asks /staff/session once a minute; that request does not count as activity.
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var text = box.querySelector(".session-warning-text");
  function check() {
    fetch(url, { cache: "no-store", credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.json() : { signed_in: false };
    }).then(function (status) {
      if (!status.signed_in) {
        text.textContent = "Your session has ended. Sign in again to go on; a live run keeps running.";
        box.hidden = false;
        return;
      }
      var minutes = Math.ceil(status.remaining_seconds / 60);
      if (status.remaining_seconds <= status.warn_seconds) {
        text.textContent = "Your session ends in " + minutes + (minutes === 1 ? " minute" : " minutes") +
          ". Open any staff page to stay signed in, or sign in again after it ends.";
        box.hidden = false;
      } else {
        box.hidden = true;
      }
    }).catch(function () {});
  }
  check();
  setInterval(check, 60000);
}());
