// Enhancements only: every page works without this file.
// Live regions: an element with data-live="URL" is replaced by each "html" Server-Sent Event of that
// stream. The server renders (and escapes) the fragment with the same template as the page.
"use strict";
function summary(el) {
  var line = el.querySelector("[role=status]");
  return line ? line.textContent : "";
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-live]").forEach(function (el) {
    var source = new EventSource(el.getAttribute("data-live"));
    source.addEventListener("html", function (e) {
      var before = summary(el);
      el.innerHTML = e.data;
      if (summary(el) !== before) {
        // when the region's status line last changed (epoch ms), for the click-to-confirmed benchmark
        el.setAttribute("data-updated", String(Date.now()));
      }
    });
    source.addEventListener("done", function () {
      source.close();
    });
    // a page left (or kept in the back-forward cache) must not hold a connection
    window.addEventListener("pagehide", function () {
      source.close();
    });
  });
  document.querySelectorAll("select.autosubmit").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
});
