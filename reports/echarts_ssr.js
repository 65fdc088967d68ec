// Server-side ECharts: reads {"width", "height", "options": [...]} as JSON on stdin and writes a JSON list of
// SVG strings to stdout. It loads the very ECharts build the dashboards use (static/vendor), so the printed
// charts are drawn by the same library, version and options as the ones on screen.
const path = require('path');
const echarts = require(path.join(__dirname, '..', 'static', 'vendor', 'echarts-6.1.0', 'echarts.min.js'));

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const request = JSON.parse(input);
  const svgs = request.options.map((option) => {
    const chart = echarts.init(null, null, {
      renderer: 'svg', ssr: true, width: option.width || request.width, height: option.height || request.height,
    });
    chart.setOption({ animation: false, ...option.option });
    const svg = chart.renderToSVGString();
    chart.dispose();
    return svg;
  });
  // Exit only once the pipe has taken everything: ECharts leaves timers behind that would keep Node alive.
  process.stdout.write(JSON.stringify(svgs), () => process.exit(0));
});
