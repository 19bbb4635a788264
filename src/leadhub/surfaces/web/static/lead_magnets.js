// The lead-magnet editor's live preview: as the Markdown is typed, it is posted (with the session's
// CSRF token in X-CSRF-Token) to the preview endpoint, which answers the hosted page's own
// sanitised HTML. Without this script the editor's "Preview" button shows the same.
(function () {
  "use strict";

  var editor = document.querySelector("[data-magnet-editor]");
  if (!editor) return;
  var source = editor.querySelector("[data-markdown]");
  var target = editor.querySelector("[data-preview]");
  var state = editor.querySelector("[data-preview-state]");
  var token = editor.querySelector('input[name="csrf_token"]');
  if (!source || !target || !token) return;
  var url = source.getAttribute("data-preview-url");
  var timer = null;
  var sent = 0;
  var DELAY = 300;

  function say(text) {
    if (state) state.textContent = text;
  }

  function refresh() {
    var number = ++sent;
    var body = new URLSearchParams();
    body.set("markdown", source.value);
    say("updating…");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": token.value, Accept: "text/html" },
      body: body
    })
      .then(function (response) {
        // A redirect means the session ended: keep the last preview rather than the sign-in page.
        if (!response.ok || response.redirected) throw new Error("preview " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (number !== sent) return; // an older answer arriving after a newer one
        // The server's HTML is the hosted page's, sanitised by the same allow-list.
        target.innerHTML = html;
        say("");
      })
      .catch(function () {
        if (number === sent) say("(could not update; use the Preview button)");
      });
  }

  source.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY);
  });
})();
