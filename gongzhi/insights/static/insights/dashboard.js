/* Dashboard charts: data comes from the json_script element #insights-charts; no inline scripts.
   Grid map: the fragment at #gridmap[data-src] is fetched and inserted; a click on a tile opens its cases. */
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
  function tileClicks(root) {
    root.addEventListener("click", function (event) {
      if (event.target.closest("a")) { return; }
      var tile = event.target.closest(".tile");
      var link = tile && tile.querySelector("a.tile-name");
      if (link) { window.location.assign(link.href); }
    });
  }
  function gridMap() {
    var section = document.getElementById("gridmap");
    var body = document.getElementById("gridmap-body");
    if (section && body && section.dataset.src && window.fetch) {
      window.fetch(section.dataset.src, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
        .then(function (html) { body.innerHTML = html; })
        .catch(function () { /* keep the link to the grid map page */ });
    }
    var root = section || document.getElementById("gridmap-tiles");
    if (root) { tileClicks(root); }
  }
  function start() { draw(); gridMap(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
