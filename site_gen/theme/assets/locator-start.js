// The clinic locator's first script: it shows the search, and when someone first uses it (focus, a
// keystroke, "Use my location") loads the index of every clinic and the scripts that take over
// (locator.js, locator-search.js). Loading them only then keeps the locator light however many
// clinics there are; script elements, unlike fetch, also load them in a copy opened from disk.
(function () {
  "use strict";
  var tools = document.querySelector("[data-locator]");
  if (!tools) return;
  var started = false;

  function start(event) {
    // A press of "Use my location" before the locator is ready is done once it is (locator.js).
    if (event.type === "click" && event.target.closest("[data-use-location]") && !tools.hasAttribute("data-ready")) {
      tools.setAttribute("data-pending", "locate");
    }
    if (started) return;
    started = true;
    var sources = [tools.getAttribute("data-index")].concat(tools.getAttribute("data-scripts").split(" "));
    sources.forEach(function (src) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false; // run in this order: the index, then the scripts that read it
      document.head.appendChild(script);
    });
  }

  ["focusin", "input", "click"].forEach(function (type) { tools.addEventListener(type, start); });
  tools.hidden = false;
})();
