// "Did you mean mayor@gmail.com?" under an email field whose domain looks mistyped, before the form
// is sent. The lists come from the server (mipevents/core/email_typos.py, as data-typo-* attributes),
// which asks the same question when the form arrives, so the page works the same without JavaScript.
(function () {
  "use strict";

  function distance(a, b) {   // Damerau-Levenshtein, as the server's
    var rows = [], i, j;
    for (i = 0; i <= a.length; i++) { rows.push([i]); }
    for (j = 1; j <= b.length; j++) { rows[0].push(j); }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          best = Math.min(best, rows[i - 2][j - 2] + 1);
        }
        rows[i][j] = best;
      }
    }
    return rows[a.length][b.length];
  }

  function closest(word, candidates, limit) {
    var scored = candidates.map(function (c) { return [distance(word, c), c]; });
    scored.sort(function (x, y) { return x[0] - y[0] || (x[1] < y[1] ? -1 : 1); });
    if (scored.length && scored[0][0] > 0 && scored[0][0] <= limit &&
        (scored.length === 1 || scored[1][0] > scored[0][0])) { return scored[0][1]; }
    return null;
  }

  function suggest(field, address) {
    var at = address.lastIndexOf("@");
    if (at < 1) { return null; }
    var domain = address.slice(at + 1).trim().toLowerCase().replace(/\.+$/, "");
    var known = field.getAttribute("data-typo-domains").split(" ");
    if (!domain || domain.indexOf(".") < 0 || known.indexOf(domain) >= 0) { return null; }
    var fixed = closest(domain, known, domain.length < 8 ? 1 : 2);
    if (!fixed) {
      var dot = domain.lastIndexOf("."), ending = domain.slice(dot + 1);
      var endings = field.getAttribute("data-typo-endings").split(" ");
      var real = field.getAttribute("data-typo-real-endings").split(" ");
      if (endings.indexOf(ending) >= 0 || real.indexOf(ending) >= 0) { return null; }
      var better = closest(ending, endings, 1);
      if (!better) { return null; }
      fixed = domain.slice(0, dot) + "." + better;
    }
    return address.slice(0, at).trim() + "@" + fixed;
  }

  document.querySelectorAll("input[data-typo-domains]").forEach(function (field) {
    var hint = document.getElementById(field.id + "-typo");
    if (!hint) { return; }
    function check() {
      var suggestion = suggest(field, field.value);
      hint.textContent = "";
      if (!suggestion) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = "Use " + suggestion;
      button.addEventListener("click", function () {
        field.value = suggestion;
        hint.textContent = "";
        field.focus();
      });
      hint.appendChild(document.createTextNode("Did you mean " + suggestion + "? "));
      hint.appendChild(button);
    }
    field.addEventListener("change", check);
    field.addEventListener("blur", check);
  });
}());
