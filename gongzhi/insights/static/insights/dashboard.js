/* Dashboard charts: data comes from the json_script element #insights-charts; no inline scripts. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("insights-charts");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var cat = document.getElementById("chart-categories");
    if (cat && data.categories.length) {
      window.echarts.init(cat).setOption({
        tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["35%", "65%"], data: data.categories }]
      });
    }
    var weeks = document.getElementById("chart-weeks");
    if (weeks && data.weeks.length) {
      window.echarts.init(weeks).setOption({
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.weeks.map(function (w) { return w.week; }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", name: data.weeksLabel, data: data.weeks.map(function (w) { return w.count; }) }]
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
