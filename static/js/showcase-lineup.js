/* Drag and drop for the staff line-up, an enhancement over its "Move up"/"Move down" buttons
 * (which work without JavaScript): dropping a row posts the whole new order, then the page reloads
 * to show the new planned times. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var body = document.querySelector("tbody[data-reorder-url]");
    if (!body) { return; }
    var token = document.querySelector("meta[name=csrf-token]").getAttribute("content");
    var dragged = null;

    body.querySelectorAll("tr[data-slot-id]").forEach(function (row) {
      row.draggable = true;
      row.classList.add("is-draggable");
      row.addEventListener("dragstart", function (event) {
        dragged = row;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", row.dataset.slotId);
      });
      row.addEventListener("dragover", function (event) {
        if (dragged && dragged !== row) { event.preventDefault(); event.dataTransfer.dropEffect = "move"; }
      });
      row.addEventListener("drop", function (event) {
        if (!dragged || dragged === row) { return; }
        event.preventDefault();
        var box = row.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        body.insertBefore(dragged, after ? row.nextSibling : row);
        dragged = null;
        var order = Array.prototype.map.call(body.querySelectorAll("tr[data-slot-id]"), function (r) {
          return parseInt(r.dataset.slotId, 10);
        });
        fetch(body.dataset.reorderUrl, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
          body: JSON.stringify({ order: order })
        }).then(function () { window.location.reload(); });
      });
      row.addEventListener("dragend", function () { dragged = null; });
    });
  });
})();
