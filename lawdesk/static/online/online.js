// The online pages' behaviour (no inline code: the content security policy allows scripts from this site only).
(function () {
  "use strict";

  // The street list shows only the stations of the chosen district.
  function filterStations(place) {
    const district = place.querySelector("select[name=district]");
    const station = place.querySelector("select[data-station-select]");
    if (!district || !station) return;
    const chosen = district.value;
    Array.prototype.forEach.call(station.options, function (option) {
      const own = option.getAttribute("data-district");
      const show = !own || own === chosen;
      option.hidden = !show;
      option.disabled = !show;
    });
    const current = station.options[station.selectedIndex];
    if (current && current.disabled) station.value = "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-place]").forEach(function (place) {
      filterStations(place);
      place.addEventListener("change", function (event) {
        const target = event.target;
        if (target instanceof HTMLSelectElement && target.name === "district") filterStations(place);
      });
    });
    // <select data-autosubmit> submits its form (kiosk pages do not load app.js).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      if (document.body.classList.contains("kiosk")) {
        select.addEventListener("change", function () { if (select.form) select.form.submit(); });
      }
    });
  });
  // <html data-ready> once every deferred script of the page has run: browser tests wait for it before typing.
  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.setAttribute("data-ready", "1");
  });
})();
