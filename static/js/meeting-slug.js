/* New meeting: while the web address is left empty, show the one the name would give as its
   placeholder (the server makes the real one, unique, from the name: meetings.services.slug_from_name). */
(function () {
  "use strict";
  var name = document.getElementById("name");
  var slug = document.getElementById("slug");
  if (!name || !slug) { return; }
  function derive(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
  }
  function show() { slug.placeholder = derive(name.value); }
  name.addEventListener("input", show);
  show();
})();
