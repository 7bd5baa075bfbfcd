// The check-in desk: as the door staff type, the people on the page are filtered at once, then the
// server's answer for the whole meeting replaces the list (the search and its pages are the server's,
// so the page works without this script and stays small for a meeting of thousands).
(function () {
  "use strict";
  var input = document.getElementById("checkin-q");
  var results = document.getElementById("checkin-results");
  if (!input || !results || !window.fetch || !window.DOMParser) { return; }
  var form = input.form;
  var timer = null;
  var asked = 0;

  // The same rule as the server (registration.attendance.matches): every typed word begins some word.
  function wordsOf(text) {
    return text.replace(/@/g, " @").replace(/\./g, " ").split(/\s+/).concat(text.split(/\s+/));
  }
  function matches(words, terms) {
    return terms.every(function (term) {
      return words.some(function (word) { return word.lastIndexOf(term, 0) === 0; });
    });
  }
  function rows() {
    return Array.prototype.slice.call(results.querySelectorAll(".checkin-row[data-search]"));
  }
  function isCode(value) { return value.trim().indexOf("MIPCHK-") === 0; }

  // At once, among the people already on the page.
  function filterHere() {
    var terms = input.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows().forEach(function (row) {
      var visible = terms.length === 0 || matches(wordsOf(row.getAttribute("data-search") || ""), terms);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    var count = document.getElementById("checkin-count");
    if (count) { count.textContent = shown + (shown === 1 ? " person" : " people") + " shown"; }
  }

  // Then the server's answer for the whole meeting (the latest request wins).
  function askServer() {
    if (isCode(input.value)) { return; }    // a badge's code is checked in by Enter, never while typed
    var params = new URLSearchParams(new FormData(form));
    var url = form.action + "?" + params.toString();
    var mine = ++asked;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || mine !== asked) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("checkin-results");
        if (!fresh) { return; }
        results.innerHTML = fresh.innerHTML;
        history.replaceState(null, "", url);
      })
      .catch(function () { /* the typed filter stays; Search still asks the server */ });
  }

  input.addEventListener("input", function () {
    if (isCode(input.value)) { clearTimeout(timer); return; }   // a scanner is typing a badge's code
    filterHere();
    clearTimeout(timer);
    timer = setTimeout(askServer, 150);
  });
  // Enter with exactly one person shown goes to their Check in button: the tablet's fastest path.
  form.addEventListener("submit", function (event) {
    if (isCode(input.value)) { return; }
    var visible = rows().filter(function (row) { return !row.hidden; });
    if (input.value.trim() && visible.length === 1) {
      var button = visible[0].querySelector("form button[type=submit].button");
      if (button) { event.preventDefault(); button.focus(); }
    }
  });
})();
