// The pipeline board: drag a lead card to another column, or use its "Move to" form, without
// reloading the page. Without this script the "Move to" forms post normally and the page reloads.
(function () {
  "use strict";

  var board = document.querySelector("[data-board]");
  if (!board) return;
  var status = document.getElementById("board-status");
  var dragged = null;

  function columnOf(element) { return element.closest(".board-column"); }
  function stageOf(column) { return column.getAttribute("data-stage-id"); }
  function columnFor(stageId) { return board.querySelector('.board-column[data-stage-id="' + stageId + '"]'); }

  function announce(text, kind) {
    if (!status) return;
    status.className = "board-status flash flash-" + kind;
    status.setAttribute("role", kind === "error" ? "alert" : "status");
    status.textContent = text;
  }

  function refreshEmpty(column) {
    var empty = column.querySelector("[data-empty]");
    if (empty) empty.hidden = column.querySelector(".lead-card") !== null;
  }

  function updateTotals(stages) {
    stages.forEach(function (stage) {
      var column = columnFor(stage.id);
      if (!column) return;
      column.querySelector("[data-count]").textContent = stage.leads_count;
      column.querySelector("[data-count-noun]").textContent = stage.leads_count === 1 ? "lead" : "leads";
      column.querySelector("[data-value]").textContent = stage.value_total;
    });
  }

  function failure(response, data) {
    if (data && data.ok === false && data.message) return data.message;
    if (response && response.status === 403) return "This page has expired. Reload it and try again.";
    return "The lead could not be moved. Please try again.";
  }

  // Put the card in the column at once, then ask the server; put it back if the server refuses.
  function move(card, column, afterwards) {
    var origin = { parent: card.parentNode, next: card.nextSibling, column: columnOf(card) };
    var stageId = stageOf(column);
    column.querySelector(".board-cards").prepend(card);
    refreshEmpty(origin.column);
    refreshEmpty(column);
    card.classList.add("saving");
    card.setAttribute("aria-busy", "true");
    var body = new URLSearchParams({ lead_id: card.getAttribute("data-lead-id"), stage_id: stageId });
    var response = null;
    fetch(board.getAttribute("data-move-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "X-CSRF-Token": board.getAttribute("data-csrf"),
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded"
      },
      body: body
    }).then(function (answer) {
      response = answer;
      var json = (answer.headers.get("content-type") || "").indexOf("application/json") !== -1;
      return json ? answer.json() : null;
    }).then(function (data) {
      if (!response.ok || !data || !data.ok) throw data;
      updateTotals(data.stages);
      card.querySelector("select[name=stage_id]").value = stageId;
      announce(data.message, "success");
    }).catch(function (data) {
      origin.parent.insertBefore(card, origin.next);
      refreshEmpty(origin.column);
      refreshEmpty(column);
      announce(failure(response, data), "error");
    }).then(function () {
      card.classList.remove("saving");
      card.removeAttribute("aria-busy");
      if (afterwards) afterwards();
    });
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".lead-card");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-lead-id"));
  });

  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    board.querySelectorAll(".drop-target").forEach(function (column) { column.classList.remove("drop-target"); });
  });

  board.addEventListener("dragover", function (event) {
    var column = dragged && columnOf(event.target);
    if (!column) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    column.classList.add("drop-target");
  });

  board.addEventListener("dragleave", function (event) {
    var column = columnOf(event.target);
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("drop-target");
  });

  board.addEventListener("drop", function (event) {
    var column = dragged && columnOf(event.target);
    if (!column) return;
    event.preventDefault();
    column.classList.remove("drop-target");
    var card = dragged;
    if (columnOf(card) !== column) move(card, column);
  });

  // The keyboard way: the card's "Move to" form, sent in the background.
  board.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-move-form]");
    if (!form) return;
    event.preventDefault();
    var card = form.closest(".lead-card");
    var column = columnFor(form.querySelector("select[name=stage_id]").value);
    var details = form.closest("details");
    if (!column || column === columnOf(card)) {
      if (details) details.open = false;
      return;
    }
    move(card, column, function () {
      if (details) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
  });
})();
