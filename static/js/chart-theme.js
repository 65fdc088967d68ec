// The portal's chart look, defined once: the dashboards (static/js/charts.js) and the server that draws the PDF
// charts (reports/echarts_ssr.js, which require()s this very file) register the same ECharts theme and prepare
// options the same way.
(function (root, build) {
  "use strict";
  var charts = build();
  if (typeof module === "object" && module.exports) {
    module.exports = charts;
  } else {
    root.RSOKO_CHARTS = charts;
  }
})(this, function () {
  "use strict";

  // Chart values are rounded to one decimal on the server (assessments.stats.charts.r1); 90.0 arrives as 90.
  function decimalComma(value) {
    return typeof value === "number" ? value.toFixed(1).replace(".", ",") : value;
  }

  function labelInRussian(label) {
    if (label && label.formatter === "{c}") {
      label.formatter = function (params) { return decimalComma(params.value); };
    }
  }

  return {
    theme: {
      // Series colours in order: dark blue, teal, amber, red, violet, slate, blue, green.
      color: ["#1d4e89", "#0f7b6c", "#d97706", "#b42318", "#6d28d9", "#64748b", "#2f74c0", "#15803d"],
    },
    themeName: "rsoko",
    // Value labels print numbers the Russian way with one decimal (8,2; 90,0), like the tables beside the charts.
    prepare: function (options) {
      var series = options.series ? [].concat(options.series) : [];
      series.forEach(function (one) { labelInRussian(one.label); });
      // A choropleth's colour scale prints its ends and the handle's value with a decimal comma too.
      if (options.visualMap && !options.visualMap.formatter) { options.visualMap.formatter = decimalComma; }
      return options;
    },
  };
});
