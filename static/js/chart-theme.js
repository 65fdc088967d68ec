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

  // Axis ticks and tooltips too: «12,5», «1 200» (a thin no-break space groups thousands), never «12.5» or «1200».
  function russianNumber(value) {
    if (typeof value !== "number") { return value; }
    var fixed = Number.isInteger(value) ? String(Math.abs(value)) : Math.abs(value).toFixed(1);
    var parts = fixed.split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
    return (value < 0 ? "\u2212" : "") + parts.join(",");
  }

  function axesInRussian(axes) {
    [].concat(axes || []).forEach(function (axis) {
      if (axis && axis.type === "value") {
        axis.axisLabel = axis.axisLabel || {};
        if (!axis.axisLabel.formatter) { axis.axisLabel.formatter = russianNumber; }
      }
    });
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
    russianNumber: russianNumber,
    // Value labels print numbers the Russian way with one decimal (8,2; 90,0), like the tables beside the charts.
    prepare: function (options) {
      var series = options.series ? [].concat(options.series) : [];
      series.forEach(function (one) { labelInRussian(one.label); });
      // A choropleth's colour scale prints its ends and the handle's value with a decimal comma too.
      if (options.visualMap && !options.visualMap.formatter) { options.visualMap.formatter = decimalComma; }
      axesInRussian(options.xAxis);
      axesInRussian(options.yAxis);
      if (options.tooltip && !options.tooltip.valueFormatter) { options.tooltip.valueFormatter = russianNumber; }
      return options;
    },
  };
});
