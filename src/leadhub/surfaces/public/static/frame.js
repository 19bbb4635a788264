// Tells the page that embeds this form how tall it is, so the iframe fits its content.
(function () {
  function report() {
    var height = document.documentElement.scrollHeight;
    window.parent.postMessage({ leadhubForm: location.pathname, height: height }, "*");
  }
  window.addEventListener("load", report);
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.body);
})();
