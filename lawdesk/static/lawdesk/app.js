// Page behaviour that used to sit in inline handlers: the content security policy allows scripts only from
// this site's static files, never inline code (onclick=, hx-on, javascript: links).
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
      return;
    }
    const back = target.closest("a[data-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  // <select data-autosubmit> submits its form on change.
  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });

  // An element with data-remove-after-request disappears once its htmx request has answered
  // (the tree's ＋ expander).
  document.addEventListener("htmx:afterRequest", function (event) {
    const elt = event.detail && event.detail.elt;
    if (elt instanceof Element && elt.hasAttribute("data-remove-after-request")) {
      elt.remove();
    }
  });
  // <html data-ready> once every deferred script of the page has run: browser tests wait for it before typing.
  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.setAttribute("data-ready", "1");
  });
})();
