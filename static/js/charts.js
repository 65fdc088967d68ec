// Draws every ECharts chart on the page. Options come from the server as JSON (json_script),
// built from the same data the tables and exports show; no inline script is needed (CSP).
(function () {
  "use strict";
  var look = window.RSOKO_CHARTS;  // static/js/chart-theme.js: the same theme the PDF charts are drawn with
  if (!window.echarts || !look) { return; }
  window.echarts.registerTheme(look.themeName, look.theme);
  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source) { return; }
    var geo = element.dataset.geo && document.getElementById(element.dataset.geo);
    if (geo) { window.echarts.registerMap("region", JSON.parse(geo.textContent)); }  // a choropleth's boundaries
    var options = look.prepare(JSON.parse(source.textContent));
    // The page's own font stack: ECharts measures labels with it, so legends and axes do not overlap.
    options.textStyle = options.textStyle || { fontFamily: getComputedStyle(document.body).fontFamily };
    var chart = window.echarts.init(element, look.themeName, { renderer: "svg", locale: "RU" });
    chart.setOption(options);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("[data-chart]").forEach(draw);
})();
