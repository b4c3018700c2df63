/* Top problems chart: data from the json_script element #triage-chart; no inline scripts. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("triage-chart");
    var box = document.getElementById("chart-problems");
    if (!source || !box || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    window.echarts.init(box).setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: [data.currentLabel, data.previousLabel] },
      grid: { left: 8, right: 24, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.labels, axisLabel: { width: 260, overflow: "truncate" } },
      series: [
        { type: "bar", name: data.currentLabel, data: data.current },
        { type: "bar", name: data.previousLabel, data: data.previous }
      ]
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
