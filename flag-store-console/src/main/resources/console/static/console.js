// Enhancements only: every page works without this file.
// Live regions: an element with data-live="URL" is replaced by each "html" Server-Sent Event of that
// stream. The server renders (and escapes) the fragment with the same template as the page.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-live]").forEach(function (el) {
    var source = new EventSource(el.getAttribute("data-live"));
    source.addEventListener("html", function (e) {
      el.innerHTML = e.data;
    });
    source.addEventListener("done", function () {
      source.close();
    });
  });
  document.querySelectorAll("select.autosubmit").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
});
