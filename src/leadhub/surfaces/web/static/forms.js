// The form builder in the page: move rows, add rows, show the custom key only when it is used.
// Without this script the same buttons post the builder and the server shows it rearranged.
(function () {
  "use strict";

  var builder = document.querySelector("[data-builder]");
  if (!builder) return;
  var body = builder.querySelector("[data-rows]");
  var count = builder.querySelector("[data-row-count]");

  function rows() { return Array.prototype.slice.call(body.querySelectorAll("[data-row]")); }

  // Positions follow the rows' order on the page; the first and last arrows cannot move further.
  function renumber() {
    var all = rows();
    all.forEach(function (row, index) {
      row.querySelector("[data-position]").value = index;
      row.querySelector('[data-move="up"]').disabled = index === 0;
      row.querySelector('[data-move="down"]').disabled = index === all.length - 1;
    });
  }

  function showCustomKey(row) {
    var select = row.querySelector("[data-maps-to]");
    var key = row.querySelector("[data-custom-key]");
    if (select && key) key.closest(".cell-field").hidden = select.value !== "custom" && !key.value;
  }

  function blankCopy(template, index) {
    var row = template.cloneNode(true);
    row.id = "row-" + index;
    row.classList.remove("invalid-row", "removing");
    row.querySelectorAll(".field-error").forEach(function (error) { error.remove(); });
    row.querySelectorAll(".invalid").forEach(function (cell) { cell.classList.remove("invalid"); });
    row.querySelectorAll("[id], [for], [name], [aria-describedby]").forEach(function (element) {
      ["id", "for", "name"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value) element.setAttribute(attribute, value.replace(/^fields-\d+-/, "fields-" + index + "-"));
      });
      element.removeAttribute("aria-describedby");
      element.removeAttribute("aria-invalid");
    });
    row.querySelectorAll("input[type=text], textarea").forEach(function (input) { input.value = ""; });
    row.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
    row.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
    row.querySelectorAll(".sr-only").forEach(function (label) {
      label.textContent = label.textContent.replace(/field \d+/, "field " + (index + 1));
    });
    return row;
  }

  builder.addEventListener("click", function (event) {
    var move = event.target.closest("[data-move]");
    if (move) {
      event.preventDefault();
      var row = move.closest("[data-row]");
      if (move.getAttribute("data-move") === "up" && row.previousElementSibling) {
        body.insertBefore(row, row.previousElementSibling);
      } else if (move.getAttribute("data-move") === "down" && row.nextElementSibling) {
        body.insertBefore(row.nextElementSibling, row);
      }
      renumber();
      if (!move.disabled) move.focus();
      else row.querySelector("input[type=text]").focus();
      return;
    }
    if (event.target.closest("[data-add-rows]")) {
      event.preventDefault();
      var last = rows()[rows().length - 1];
      var first = null;
      for (var added = 0; added < 3; added++) {
        var index = parseInt(count.value, 10);
        var copy = blankCopy(last, index);
        body.appendChild(copy);
        showCustomKey(copy);
        count.value = index + 1;
        first = first || copy;
      }
      renumber();
      first.querySelector("input[type=text]").focus();
    }
  });

  builder.addEventListener("change", function (event) {
    var row = event.target.closest("[data-row]");
    if (!row) return;
    if (event.target.matches("[data-maps-to]")) showCustomKey(row);
    if (event.target.matches('input[name$="-remove"]')) row.classList.toggle("removing", event.target.checked);
  });

  rows().forEach(function (row) {
    showCustomKey(row);
    var remove = row.querySelector('input[name$="-remove"]');
    if (remove && remove.checked) row.classList.add("removing");
  });
  builder.addEventListener("submit", renumber);
})();
