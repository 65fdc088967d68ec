// Server-side ECharts: reads {"width", "height", "metrics", "options": [...]} as JSON on stdin and writes a JSON
// list of SVG strings to stdout. It loads the very ECharts build and theme the dashboards use (static/), so the
// printed charts are drawn by the same library, version, colours and options as the ones on screen.
const path = require('path');
const statics = path.join(__dirname, '..', 'static');
const echarts = require(path.join(statics, 'vendor', 'echarts-6.1.0', 'echarts.min.js'));
const look = require(path.join(statics, 'js', 'chart-theme.js'));

echarts.registerTheme(look.themeName, look.theme);

// Without a canvas ECharts guesses text widths (a Cyrillic letter counts as a full em, twice its real width),
// which spreads legends apart and drops axis labels. The report's font metrics, sent by reports/charts.py,
// give the true widths.
function useFontMetrics(metrics) {
  if (!metrics) return;
  echarts.setPlatformAPI({
    measureText(text, font) {
      const size = Number((/(\d+(?:\.\d+)?)px/.exec(font || '') || [])[1]) || 12;
      const widths = /bold|[6-9]00/.test(font || '') ? metrics.bold : metrics.regular;
      let width = 0;
      for (const char of String(text || '')) {
        width += widths[char] !== undefined ? widths[char] : metrics.fallback;
      }
      return { width: width * size };
    },
  });
}

// WeasyPrint ignores paint-order, so the white halo ECharts puts behind labels would be painted over the
// letters and leave them white on white: print the labels without it.
function withoutHalo(svg) {
  return svg.replace(/<text([^>]*?) stroke="[^"]*" stroke-width="[^"]*" paint-order="stroke"( stroke-miterlimit="[^"]*")?/g,
    '<text$1');
}

// Paper needs no interaction: the hover styles, the hit areas (shapes painted neither by fill nor by stroke) and
// the data attributes only cost WeasyPrint a parse per chart. Consecutive shapes painted alike (the bars of a
// series, the grid lines) become one path of several parts: the PDF draws one shape instead of fifteen.
const INTERACTIVE = / (?:class|pointer-events|ecmeta_[a-z_]+)="[^"]*"/g;
function unpainted(line) {
  if (!/^<(?:path|rect) [^>]*><\/(?:path|rect)>$/.test(line)) return false;
  const noFill = / fill="none"/.test(line) || / fill-opacity="0"/.test(line);
  const noStroke = !/ stroke="/.test(line) || / stroke-width="0"/.test(line) || / stroke="none"/.test(line);
  return noFill && noStroke;
}
const PATH = /^<path d="([^"]*)"([^>]*)><\/path>$/;

function forPaper(svg) {
  const lines = [];
  let previous = null;
  for (const line of svg.replace(/<style[^>]*>[\s\S]*?<\/style>/g, '').replace(INTERACTIVE, '').split('\n')) {
    if (unpainted(line)) continue;
    const path = PATH.exec(line);
    if (path && previous && previous.rest === path[2]) {
      previous.d += ' ' + path[1];
      lines[previous.index] = `<path d="${previous.d}"${previous.rest}></path>`;
      continue;
    }
    previous = path ? { d: path[1], rest: path[2], index: lines.length } : null;
    lines.push(line);
  }
  return lines.join('\n');
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const request = JSON.parse(input);
  useFontMetrics(request.metrics);
  const svgs = request.options.map((option) => {
    const chart = echarts.init(null, look.themeName, {
      renderer: 'svg', ssr: true, width: option.width || request.width, height: option.height || request.height,
    });
    chart.setOption(look.prepare({ animation: false, ...option.option }));
    const svg = forPaper(withoutHalo(chart.renderToSVGString()));
    chart.dispose();
    return svg;
  });
  // Exit only once the pipe has taken everything: ECharts leaves timers behind that would keep Node alive.
  process.stdout.write(JSON.stringify(svgs), () => process.exit(0));
});
