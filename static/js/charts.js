// Draws every ECharts chart on the page. Options come from the server as JSON (json_script),
// built from the same data the tables and exports show; no inline script is needed (CSP).
(function () {
  "use strict";
  var palette = ["#1d4e89", "#0f7b6c", "#d97706", "#b42318", "#6d28d9", "#64748b", "#2f74c0", "#15803d"];
  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.echarts) { return; }
    var options = JSON.parse(source.textContent);
    if (!options.color) { options.color = palette; }
    // The page's own font stack: ECharts measures labels with it, so legends and axes do not overlap.
    options.textStyle = options.textStyle || { fontFamily: getComputedStyle(document.body).fontFamily };
    var chart = window.echarts.init(element, null, { renderer: "svg", locale: "RU" });
    chart.setOption(options);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("[data-chart]").forEach(draw);
})();
