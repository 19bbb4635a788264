// The Pending tab refreshes its table every few seconds while conversions are being sent:
// <div data-refresh="/conversions/pending/rows?page=1" data-refresh-seconds="5">.
(function () {
  "use strict";

  var box = document.querySelector("[data-refresh]");
  if (!box) return;
  var url = box.getAttribute("data-refresh");
  var seconds = parseInt(box.getAttribute("data-refresh-seconds"), 10) || 5;

  function schedule() {
    window.setTimeout(refresh, seconds * 1000);
  }

  function refresh() {
    if (document.hidden || box.querySelector("[data-refresh-stop]")) {
      // Nothing left to follow, or nobody looking: check again later only if still pending.
      if (!box.querySelector("[data-refresh-stop]")) schedule();
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        // A redirect means the session ended: stop rather than show the sign-in page here.
        if (!response.ok || response.redirected) return null;
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        box.innerHTML = html;
        schedule();
      })
      .catch(schedule);
  }

  schedule();
})();
