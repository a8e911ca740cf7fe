// The statistics dashboard: reads the figures the page hands over (json_script "stats-data") and draws them
// with the vendored Apache ECharts; the Xi'an district map is fetched from the vendored GeoJSON.
(function () {
  "use strict";
  var source = document.getElementById("stats-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  var palette = ["#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#9ca3af", "#475569"];

  function make(id, option) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    option.color = option.color || palette;
    option.animation = false;
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }

  function pie(id, pairs) {
    var shown = pairs.filter(function (p) { return p.value > 0; });
    make(id, {
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { type: "scroll", bottom: 0 },
      graphic: shown.length ? [] : [{ type: "text", left: "center", top: "middle", style: { text: "本月无数据", fill: "#9ca3af", fontSize: 14 } }],
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: shown.map(function (p) { return { name: p.name, value: p.value }; }), label: { formatter: "{b} {c}" } }]
    });
  }

  function bars(id, pairs) {
    make(id, {
      tooltip: { trigger: "axis" },
      grid: { left: 90, right: 20, top: 10, bottom: 20 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: pairs.map(function (p) { return p.name; }), inverse: true },
      series: [{ type: "bar", data: pairs.map(function (p) { return p.value; }), label: { show: true, position: "right" } }]
    });
  }

  make("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 50, right: 20, top: 35, bottom: 30 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", minInterval: 1 },
    series: data.trend.map(function (s) { return { name: s.name, type: "line", data: s.data }; })
  });
  pie("chart-kind", data.by_kind);
  pie("chart-channel", data.by_channel);
  bars("chart-vulnerable", data.vulnerable);
  make("chart-overdue", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 50, right: 20, top: 35, bottom: 30 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "超期事项（首次督办）", type: "bar", data: data.overdue.overdue_matters },
      { name: "督办次数", type: "line", data: data.overdue.escalations }
    ]
  });
  make("chart-satisfaction", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 50, right: 50, top: 35, bottom: 30 },
    xAxis: { type: "category", data: data.months },
    yAxis: [{ type: "value", minInterval: 1, name: "件" }, { type: "value", min: 0, max: 100, name: "%" }],
    series: [
      { name: "评价数", type: "bar", data: data.satisfaction.rated },
      { name: "满意（4—5分）", type: "bar", data: data.satisfaction.satisfied },
      { name: "满意率", type: "line", yAxisIndex: 1, data: data.satisfaction.rate, connectNulls: true }
    ]
  });

  if (data.map) {
    var urlHolder = document.getElementById("stats-map-url");
    fetch(urlHolder.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (geo) {
        if (data.map.focus) {
          geo = { type: geo.type, features: geo.features.filter(function (f) { return f.properties && f.properties.name === data.map.focus; }) };
        }
        echarts.registerMap("xian", geo);
        var values = data.map.data.map(function (d) { return d.value; });
        var max = Math.max.apply(null, values.concat([1]));
        var chart = make("chart-map", {
          tooltip: { trigger: "item", formatter: function (p) {
            // Text, never HTML (ECharts puts a returned string into innerHTML).
            var box = document.createElement("div");
            box.textContent = p.name + "：" + (p.value === undefined || isNaN(p.value) ? "—" : p.value);
            return box;
          } },
          visualMap: { min: 0, max: max, left: 10, bottom: 10, text: ["高", "低"], calculable: true, inRange: { color: ["#e0ecff", "#1d4ed8"] } },
          series: [{ type: "map", map: "xian", roam: false, zoom: data.map.focus ? 1 : 1.15,
            // Dark text with a white halo reads on every fill; labels that would overlap (the small central
            // districts) are dropped rather than piled up — their names show on hover and in the table.
            label: { show: true, fontSize: 11, color: "#111827", textBorderColor: "#ffffff", textBorderWidth: 3 },
            labelLayout: { hideOverlap: true },
            data: data.map.data, emphasis: { label: { show: true } } }]
        });
        if (chart) {
          chart.on("click", function (p) {
            if (p.data && p.data.node) {
              window.location.href = window.location.pathname.replace(/\/\d+\/dashboard\/$/, "/" + p.data.node + "/dashboard/") + window.location.search;
            }
          });
          document.getElementById("chart-map").setAttribute("data-regions", String(geo.features.length));
          document.getElementById("chart-map").setAttribute("data-ready", "1");
        }
      });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.body.setAttribute("data-charts", String(charts.length));
}());
