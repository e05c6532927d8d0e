// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Opened straight from disk, a folder link shows a file listing; point it at the page inside.
  if (window.location.protocol === "file:") {
    document.querySelectorAll("a[href]").forEach(function (link) {
      var href = link.getAttribute("href");
      if (!/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith("//")) {
        var parts = href.split("#");
        if (parts[0] === "" && parts.length > 1) return;
        if (parts[0].endsWith("/")) {
          parts[0] += "index.html";
          link.setAttribute("href", parts.join("#"));
        }
      }
    });
  }
})();

// "Print this page": a button only where JavaScript can press Print for you.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
