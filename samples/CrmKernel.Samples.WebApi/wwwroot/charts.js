// A small hand-written SVG renderer: horizontal bar charts and line charts. No library, nothing fetched.
'use strict';
const Charts = {
  ns: 'http://www.w3.org/2000/svg',
  svg(width, height, title) {
    const svg = document.createElementNS(Charts.ns, 'svg');
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('class', 'chart');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', title);
    const t = Charts.add(svg, 'title', {}); t.textContent = title;
    return svg;
  },
  add(parent, tag, attrs, text) {
    const node = document.createElementNS(Charts.ns, tag);
    for (const [k, v] of Object.entries(attrs)) { node.setAttribute(k, v); }
    if (text !== undefined) { node.textContent = text; }
    parent.append(node);
    return node;
  },
  // rows: [{ label, value, text? }] drawn as horizontal bars with the label left and the value right.
  bars(title, rows, options = {}) {
    const rowHeight = 26, labelWidth = options.labelWidth || 170, width = 640, valueWidth = 90;
    const height = rows.length * rowHeight + 10;
    const svg = Charts.svg(width, height, title);
    const max = Math.max(1e-9, ...rows.map(r => Math.abs(r.value || 0)));
    rows.forEach((row, i) => {
      const y = 5 + i * rowHeight;
      const w = Math.max(0, (width - labelWidth - valueWidth - 10) * Math.abs(row.value || 0) / max);
      Charts.add(svg, 'text', { x: labelWidth - 6, y: y + 17, 'text-anchor': 'end' }, row.label);
      Charts.add(svg, 'rect', { x: labelWidth, y: y + 4, width: w.toFixed(1), height: rowHeight - 8, class: 'bar' + (options.alt ? ' alt' : '') });
      Charts.add(svg, 'text', { x: labelWidth + w + 6, y: y + 17 }, row.text ?? String(row.value));
    });
    return svg;
  },
  // series: [{ name, points: [{x, y}], cls }]; markers: x positions drawn as dashed verticals.
  lines(title, series, xTitle, yTitle, markers = []) {
    const width = 640, height = 340, left = 56, right = 16, top = 40, bottom = 44;
    const svg = Charts.svg(width, height, title);
    const all = series.flatMap(s => s.points).filter(p => p.x !== null && p.y !== null);
    const minX = Math.min(...all.map(p => p.x)), maxX = Math.max(...all.map(p => p.x));
    const maxY = Math.max(1e-9, ...all.map(p => p.y));
    const sx = x => left + (width - left - right) * (x - minX) / Math.max(1e-9, maxX - minX);
    const sy = y => height - bottom - (height - top - bottom) * y / maxY;
    Charts.add(svg, 'line', { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: 'axis' });
    Charts.add(svg, 'line', { x1: left, y1: top, x2: left, y2: height - bottom, class: 'axis' });
    for (let i = 0; i <= 4; i++) {
      const y = maxY * i / 4;
      Charts.add(svg, 'text', { x: left - 6, y: sy(y) + 4, 'text-anchor': 'end' }, y >= 10 ? y.toFixed(0) : y.toFixed(1));
    }
    for (let i = 0; i <= 4; i++) {
      const x = minX + (maxX - minX) * i / 4;
      Charts.add(svg, 'text', { x: sx(x), y: height - bottom + 16, 'text-anchor': 'middle' }, x.toFixed(0));
    }
    Charts.add(svg, 'text', { x: (left + width - right) / 2, y: height - 8, 'text-anchor': 'middle' }, xTitle);
    Charts.add(svg, 'text', { x: 8, y: 14, 'text-anchor': 'start' }, yTitle);
    for (const m of markers) { if (m.x !== null) { Charts.add(svg, 'line', { x1: sx(m.x), y1: top, x2: sx(m.x), y2: height - bottom, class: 'marker' }); } }
    series.forEach((s, i) => {
      const d = s.points.filter(p => p.x !== null && p.y !== null).map((p, j) => `${j ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
      Charts.add(svg, 'path', { d, class: s.cls || (i === 0 ? 'line-actual' : 'line-model') });
      Charts.add(svg, 'text', { x: width - right - 4 - i * 130, y: 14, 'text-anchor': 'end' }, (i === 0 ? '— ' : '- - ') + s.name);
    });
    return svg;
  },
};
