// The check-in desk: filter the list as the door staff type (the page also filters on the server
// when the search is submitted, so it works without this script).
(function () {
  "use strict";
  var input = document.getElementById("checkin-q");
  var list = document.getElementById("checkin-list");
  var count = document.getElementById("checkin-count");
  if (!input || !list) { return; }
  var rows = Array.prototype.slice.call(list.querySelectorAll(".checkin-row[data-search]"));
  var empty = document.createElement("li");
  empty.className = "checkin-row";
  empty.hidden = true;
  list.appendChild(empty);

  // The same rule as the server (registration.attendance.matches): every typed word begins some word.
  function wordsOf(text) {
    return text.replace(/@/g, " @").replace(/\./g, " ").split(/\s+/).concat(text.split(/\s+/));
  }
  var indexed = rows.map(function (row) { return { row: row, words: wordsOf(row.getAttribute("data-search") || "") }; });

  function matches(words, terms) {
    return terms.every(function (term) {
      return words.some(function (word) { return word.lastIndexOf(term, 0) === 0; });
    });
  }

  function filter() {
    var terms = input.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
    var shown = 0;
    indexed.forEach(function (entry) {
      var visible = terms.length === 0 || matches(entry.words, terms);
      entry.row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    empty.hidden = shown !== 0 || rows.length === 0;
    empty.textContent = "Nobody matches “" + input.value.trim() + "”.";
    if (count) { count.textContent = shown + (shown === 1 ? " person" : " people") + " shown"; }
  }

  input.addEventListener("input", filter);
  // Enter with exactly one person shown checks them in: the tablet's fastest path.
  input.form.addEventListener("submit", function (event) {
    var visible = indexed.filter(function (entry) { return !entry.row.hidden; });
    if (input.value.trim() && visible.length === 1) {
      var button = visible[0].row.querySelector("form button[type=submit].button");
      if (button) { event.preventDefault(); button.focus(); }
    }
  });
  if (input.value) { filter(); }
})();
