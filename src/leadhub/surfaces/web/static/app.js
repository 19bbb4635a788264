// LeadHub's own small progressive enhancements; every page also works without them.
(function () {
  "use strict";

  // Buttons that copy text: <button data-copy="#id-of-element-with-the-text">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.value !== undefined ? source.value : source.textContent;
    navigator.clipboard.writeText(text.trim()).then(function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  // Forms that ask first: <form data-confirm="Delete 3 leads?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Selects that act at once: <select data-autosubmit>; their form's button stays for no-JS use.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
    // "Select all" checkboxes: <input type="checkbox" data-select-all="name-of-row-boxes">.
    var all = event.target.closest("[data-select-all]");
    if (all) {
      document.querySelectorAll('input[name="' + all.getAttribute("data-select-all") + '"]').forEach(function (box) {
        box.checked = all.checked;
      });
    }
  });
})();
