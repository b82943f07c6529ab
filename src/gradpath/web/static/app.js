// GradPath page behaviour. Everything here is progressive: pages work without JavaScript.
(function () {
  "use strict";
  // After an htmx swap, move focus to the region that changed so keyboard and screen-reader users follow it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.hasAttribute("data-focus-after-swap")) {
      target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
    }
  });
})();
