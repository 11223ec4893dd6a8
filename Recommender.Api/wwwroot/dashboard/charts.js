// Small SVG charts: a few dozen points at most, so no chart library is needed.
const NS = 'http://www.w3.org/2000/svg';

function el(name, attributes = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function frame(width, height, labels, max, format, margin) {
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img' });
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const x = i => margin.left + (labels.length === 1 ? plotWidth / 2 : (i * plotWidth) / (labels.length - 1));
  const y = v => margin.top + plotHeight - (v / max) * plotHeight;
  for (let t = 0; t <= 4; t++) {
    const value = (max * t) / 4;
    svg.append(el('line', { class: 'grid', x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value) }));
    svg.append(el('text', { x: margin.left - 6, y: y(value) + 4, 'text-anchor': 'end' }, format(value)));
  }
  const every = Math.max(1, Math.ceil(labels.length / 12));
  labels.forEach((label, i) => {
    if (i % every === 0 || i === labels.length - 1)
      svg.append(el('text', { x: x(i), y: height - margin.bottom + 14, 'text-anchor': 'middle' }, label));
  });
  return { svg, x, y, plotHeight, plotWidth };
}

function legend(svg, series, width) {
  const group = el('g', { class: 'legend' });
  let left = 0;
  for (const s of series) {
    const item = el('g', { transform: `translate(${left},0)` });
    item.append(el('line', { x1: 0, x2: 16, y1: 5, y2: 5, stroke: s.color, 'stroke-width': 2, 'stroke-dasharray': s.dashed ? '4 3' : 'none' }));
    item.append(el('text', { x: 20, y: 9 }, s.name));
    group.append(item);
    left += 34 + s.name.length * 6.6;
  }
  group.setAttribute('transform', `translate(${Math.max(0, width - left) / 2},4)`);
  svg.append(group);
}

/** Lines over the same labels; a null value leaves a gap. */
export function lineChart(container, { labels, series, format = v => v.toFixed(3), width = 560, height = 220 }) {
  container.replaceChildren();
  const values = series.flatMap(s => s.values).filter(v => v !== null && v !== undefined);
  if (labels.length === 0 || values.length === 0) {
    container.append(Object.assign(document.createElement('p'), { className: 'empty', textContent: 'Nothing measured yet.' }));
    return;
  }
  const max = niceMax(Math.max(...values));
  const { svg, x, y } = frame(width, height, labels, max, format, { top: 24, right: 12, bottom: 22, left: 48 });
  for (const s of series) {
    let path = '';
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      path += `${path && s.values[i - 1] != null ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      const dot = el('circle', { cx: x(i), cy: y(v), r: 3, fill: s.color });
      dot.append(el('title', {}, `${s.name} · ${labels[i]}: ${format(v)}`));
      svg.append(dot);
    });
    svg.append(el('path', { d: path, fill: 'none', stroke: s.color, 'stroke-width': 2, 'stroke-dasharray': s.dashed ? '4 3' : 'none' }));
  }
  legend(svg, series, width);
  container.append(svg);
}

/** One bar per label. */
export function barChart(container, { labels, values, color, name, format = v => String(v), width = 560, height = 130 }) {
  container.replaceChildren();
  if (labels.length === 0) {
    container.append(Object.assign(document.createElement('p'), { className: 'empty', textContent: 'Nothing yet.' }));
    return;
  }
  const max = niceMax(Math.max(...values, 0));
  const margin = { top: 8, right: 12, bottom: 22, left: 48 };
  const { svg, y } = frame(width, height, labels, max, format, margin);
  const slot = (width - margin.left - margin.right) / labels.length;
  values.forEach((v, i) => {
    const barWidth = Math.max(2, Math.min(28, slot * 0.7));
    const left = margin.left + slot * i + (slot - barWidth) / 2;
    const bar = el('rect', { x: left, y: y(v), width: barWidth, height: Math.max(0, y(0) - y(v)), fill: color, rx: 2 });
    bar.append(el('title', {}, `${name} · ${labels[i]}: ${format(v)}`));
    svg.append(bar);
  });
  // Bars are centred in slots, not on the line chart's points: relabel under the bars.
  svg.querySelectorAll('text[text-anchor="middle"]').forEach(t => t.remove());
  const every = Math.max(1, Math.ceil(labels.length / 12));
  labels.forEach((label, i) => {
    if (i % every === 0 || i === labels.length - 1)
      svg.append(el('text', { x: margin.left + slot * (i + 0.5), y: height - margin.bottom + 14, 'text-anchor': 'middle' }, label));
  });
  container.append(svg);
}
