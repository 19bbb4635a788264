// The leads pages' small enhancements; every action also works without them.
(function () {
  "use strict";

  // The bulk bar: show the input the chosen action needs, count the selection, ask before deleting.
  document.querySelectorAll("form[data-bulk]").forEach(function (form) {
    var action = form.querySelector("[data-bulk-action]");
    var apply = form.querySelector("[data-bulk-apply]");
    var count = form.querySelector("[data-bulk-count]");
    var alls = form.querySelectorAll("[data-select-all]");

    function sync() {
      var boxes = form.querySelectorAll('input[name="ids"]');
      var picked = form.querySelectorAll('input[name="ids"]:checked').length;
      form.querySelectorAll("[data-bulk-for]").forEach(function (box) {
        box.hidden = box.getAttribute("data-bulk-for").split(" ").indexOf(action.value) < 0;
      });
      count.textContent = picked ? "(" + picked + " selected)" : "(none selected yet)";
      alls.forEach(function (all) {
        all.checked = picked > 0 && picked === boxes.length;
        all.indeterminate = picked > 0 && picked < boxes.length;
      });
      var deleting = action.value === "delete";
      var list = form.querySelector('select[name="list_id"]');
      var leaving = action.value === "list_remove" && list && list.value;
      var what = picked === 1 ? "this lead" : "these " + picked + " leads";
      apply.classList.toggle("btn-danger", deleting);
      if (deleting && picked) {
        apply.setAttribute("data-confirm", "Delete " + what + "? This cannot be undone.");
      } else if (leaving && picked) {
        var name = list.options[list.selectedIndex].text;
        apply.setAttribute("data-confirm", "Take " + what + " out of the list \u201c" + name + "\u201d? The leads stay in the workspace.");
      } else {
        apply.removeAttribute("data-confirm");
      }
    }

    // After app.js has ticked the rows for a "select all" box (it listens on the document).
    form.addEventListener("change", function () { setTimeout(sync, 0); });
    sync();
  });

  // Forms that ask first (data-confirm) and say so to the server: once the dialog is accepted,
  // the server need not ask again on a page of its own. Listening on window runs after app.js's
  // dialog, which listens on the document and cancels the submission when declined.
  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute("data-confirmable")) return;
    var submitter = event.submitter;
    var asked = (submitter && submitter.hasAttribute("data-confirm")) || form.hasAttribute("data-confirm");
    if (!asked || form.querySelector('input[name="confirm"]')) return;
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "confirm";
    input.value = "yes";
    form.appendChild(input);
  });
})();
