// Copy-the-address buttons of the calendar partials (templates/feeds/). Progressive enhancement:
// without JavaScript the button stays hidden and the address is still there as selectable text.
(function () {
  "use strict";
  if (window.mipeventsFeedsReady) { return; }   // the partials may include this file more than once
  window.mipeventsFeedsReady = true;

  function say(id, words) {
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (status) { status.textContent = words; }
  }

  function copy(id) {
    var field = document.getElementById(id);
    if (!field) { return; }
    var done = function () { say(id, "Address copied."); };
    var fallback = function () {
      field.focus();
      field.select();
      try {
        if (document.execCommand("copy")) { done(); return; }
      } catch (e) { /* fall through to the manual hint */ }
      say(id, "Select the address and copy it (Ctrl+C or ⌘C).");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, fallback);
    } else {
      fallback();
    }
  }

  function init() {
    document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
      if (button.dataset.copyReady) { return; }
      button.dataset.copyReady = "1";
      button.hidden = false;
      button.style.display = "";   // shown only where the script runs
      button.addEventListener("click", function () { copy(button.getAttribute("data-copy-target")); });
    });
    document.querySelectorAll("input.feed-address").forEach(function (field) {
      field.addEventListener("focus", function () { field.select(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
