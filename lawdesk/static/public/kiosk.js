/* The kiosk: back button, and back to the start page after the configured idle time (data-idle-seconds on
   <body>, default 90). No inline scripts: the page passes everything through data- attributes. */
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-idle-seconds") || "90", 10);
  if (!(seconds > 0)) { seconds = 90; }
  var home = body.getAttribute("data-home-url") || "/public/kiosk/";
  var idleParam = body.getAttribute("data-idle-param");
  var hint = document.querySelector("[data-idle-hint]");
  var last = Date.now();
  var atHome = window.location.pathname === home.split("?")[0];

  function touched() { last = Date.now(); if (hint) { hint.textContent = ""; } }
  ["pointerdown", "touchstart", "keydown", "scroll", "wheel", "mousemove"].forEach(function (name) {
    window.addEventListener(name, touched, { passive: true, capture: true });
  });

  window.setInterval(function () {
    var left = seconds - Math.floor((Date.now() - last) / 1000);
    if (left <= 0) {
      if (atHome) { window.scrollTo(0, 0); touched(); } else { window.location.assign(home); }
    } else if (hint && left <= 10 && !atHome) {
      hint.textContent = left + "秒后回到首页";
    }
  }, 1000);

  // Keep the idle setting on links that lead elsewhere inside the kiosk.
  if (idleParam) {
    document.querySelectorAll("a[href^='/laws/'], a[href^='/online/']").forEach(function (a) {
      a.href += (a.href.indexOf("?") >= 0 ? "&" : "?") + "idle=" + encodeURIComponent(idleParam);
    });
  }

  var back = document.querySelector("[data-kiosk-back]");
  if (back) {
    if (atHome) { back.style.visibility = "hidden"; }
    back.addEventListener("click", function () {
      if (window.history.length > 1) { window.history.back(); } else { window.location.assign(home); }
    });
  }
  document.addEventListener("contextmenu", function (e) { e.preventDefault(); });
  // <html data-ready> once every deferred script of the page has run: browser tests wait for it before typing.
  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.setAttribute("data-ready", "1");
  });
})();
