/* The directory's map: Xi'an's districts from the vendored GeoJSON and the platforms from map.json (the same
   filters as the page), drawn with the vendored ECharts. No tiles, nothing from the internet. */
(function () {
  "use strict";
  var el = document.getElementById("public-map");
  if (!el || typeof window.echarts === "undefined") { return; }
  var chart = window.echarts.init(el);
  chart.showLoading({ text: "地图加载中…" });

  // A tooltip built from text nodes, never from HTML: a name or an address typed by an admin ("<a href=…>",
  // "<h1>") shows as the text it is. ECharts puts a string formatter's result into innerHTML, but appends a
  // returned DOM element as it is.
  function tip(lines) {
    var box = document.createElement("div");
    box.className = "map-tip";
    lines.forEach(function (line, index) {
      if (index) { box.appendChild(document.createElement("br")); }
      box.appendChild(document.createTextNode(String(line)));
    });
    return box;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }

  Promise.all([getJSON(el.dataset.geojson), getJSON(el.dataset.points)]).then(function (res) {
    var geo = res[0], data = res[1];
    window.echarts.registerMap("xian", geo);
    var exact = data.points.filter(function (p) { return !p.approximate; });
    var approx = data.points.filter(function (p) { return p.approximate; });
    var selected = el.dataset.district;
    var box = null;
    data.districts.forEach(function (d) { if (d.name === selected && d.bounds) { box = d.bounds; } });
    chart.hideLoading();
    chart.setOption({
      animation: false,  // drawn at once: old intranet PCs and kiosks, and screenshots of a finished map
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (p.seriesType === "map") { return tip([p.name + "：" + (p.value || 0) + "个服务中心(站)"]); }
          var d = p.data || {};
          var lines = [d.name || "", d.kind || ""];
          if (d.address) { lines.push(d.address); }
          if (d.approximate) { lines.push("（近似位置）"); }
          return tip(lines);
        }
      },
      geo: {
        map: "xian", roam: true, selectedMode: false,
        label: { show: true, fontSize: 11, color: "#1f2937", textBorderColor: "#ffffff", textBorderWidth: 2 },
        itemStyle: { areaColor: "#e8eef7", borderColor: "#1f5fa8" },
        emphasis: { itemStyle: { areaColor: "#c7d7ef" }, label: { show: true } },
        regions: selected ? [{ name: selected, itemStyle: { areaColor: "#fde68a" } }] : [],
        // A chosen district fills the map: [[west, north], [east, south]].
        boundingCoords: box ? [[box[0], box[3]], [box[2], box[1]]] : null
      },
      series: [
        { name: "网点", type: "scatter", coordinateSystem: "geo", data: exact, symbolSize: 9,
          itemStyle: { color: "#c2410c" } },
        { name: "近似位置", type: "scatter", coordinateSystem: "geo", data: approx, symbol: "emptyCircle",
          symbolSize: 9, itemStyle: { color: "#c2410c" } }
      ]
    });
    el.setAttribute("data-ready", String(data.points.length));
    chart.on("click", function (p) {
      if (p.componentType === "series" && p.data && p.data.url) {
        window.location.assign(p.data.url);
      } else if (p.componentType === "geo" && p.name) {
        window.location.assign(el.dataset.directory + "?district=" + encodeURIComponent(p.name));
      }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }).catch(function () {
    chart.hideLoading();
    el.textContent = "地图加载失败，请使用下方列表。";
  });
})();
