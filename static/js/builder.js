/* The agenda builder: drag a session onto an empty cell of the grid to move it there. An
   enhancement only: it fills the "Move a session" form below the grid (room, start time) and
   submits it, so the server checks it exactly as a move typed by keyboard, conflict confirmation
   included. Without JavaScript, the form is the way. */
(function () {
  "use strict";
  var form = document.querySelector("form.move-form");
  var grid = document.querySelector(".builder-grid");
  if (!form || !grid || !form.requestSubmit) { return; }
  var item = form.querySelector("[name='move-item_id']");
  var room = form.querySelector("[name='move-room_id']");
  var starts = form.querySelector("[name='move-starts']");
  if (!item || !room || !starts) { return; }

  grid.querySelectorAll("a.slot[data-item]").forEach(function (slot) {
    slot.setAttribute("draggable", "true");
    slot.addEventListener("dragstart", function (event) {
      event.dataTransfer.setData("text/plain", slot.getAttribute("data-item"));
      event.dataTransfer.effectAllowed = "move";
    });
  });
  grid.querySelectorAll("td[data-at]").forEach(function (cell) {
    cell.addEventListener("dragover", function (event) {
      event.preventDefault();
      cell.classList.add("drop-target");
    });
    cell.addEventListener("dragleave", function () { cell.classList.remove("drop-target"); });
    cell.addEventListener("drop", function (event) {
      event.preventDefault();
      cell.classList.remove("drop-target");
      var id = event.dataTransfer.getData("text/plain");
      if (!id || !item.querySelector("option[value='" + id + "']")) { return; }
      item.value = id;
      room.value = cell.getAttribute("data-room");
      starts.value = cell.getAttribute("data-at");
      form.requestSubmit();
    });
  });
})();
