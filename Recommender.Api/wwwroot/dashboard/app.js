import { getJson, KeyNeeded, KEY_STORAGE } from './api.js';
import { barChart, lineChart } from './charts.js';

const $ = id => document.getElementById(id);
const number = new Intl.NumberFormat('en');
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const MODEL_REFRESH_MS = 30_000;
const SERVING_REFRESH_MS = 5_000;
const EXPERIMENT_REFRESH_MS = 30_000;
const HISTORY_LIMIT = 200;
const SOURCE_ORDER = ['personalized', 'similar', 'trending', 'popular'];

const page = {
  imageBaseUrl: '',
  history: new Map(),      // product id → { name, kind } of the buyer shown, for explanations
  categories: new Set(),
  timers: [],
  firstRender: true,
};

// ---- key, errors, start-up ------------------------------------------------------------------

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

function askForKey(error) {
  page.timers.forEach(clearInterval);
  page.timers = [];
  $('main').hidden = true;
  $('key-form').hidden = false;
  $('forget-key').hidden = true;
  $('key-message').textContent = error.message + ' It is kept in this tab only.';
  showError(error.rejected ? error.message : '');
  $('key-input').focus();
}

/** Every failure ends here: a key prompt for a 401, a message for anything else; never a blank page. */
function fail(error) {
  if (error instanceof KeyNeeded) askForKey(error);
  else showError(error.message);
}

async function start() {
  try {
    await refreshModel();
  } catch (error) {
    fail(error);
    return;
  }
  showError('');
  $('key-form').hidden = true;
  $('main').hidden = false;
  $('forget-key').hidden = !sessionStorage.getItem(KEY_STORAGE);
  refreshServing().catch(fail);
  refreshExperiment().catch(fail);
  showTrending().catch(fail);
  page.timers.push(setInterval(() => refreshModel().catch(fail), MODEL_REFRESH_MS));
  page.timers.push(setInterval(() => refreshServing().catch(fail), SERVING_REFRESH_MS));
  page.timers.push(setInterval(() => refreshExperiment().catch(fail), EXPERIMENT_REFRESH_MS));
}

$('key-form').addEventListener('submit', event => {
  event.preventDefault();
  sessionStorage.setItem(KEY_STORAGE, $('key-input').value.trim());
  $('key-input').value = '';
  start();
});

$('forget-key').addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORAGE);
  askForKey(new KeyNeeded(false));
});

// ---- model panel ------------------------------------------------------------------------------

function fact(label, value, small) {
  const wrapper = document.createElement('div');
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  dd.textContent = value;
  if (small) dd.className = 'small';
  dd.dataset.fact = label;
  wrapper.append(dt, dd);
  return wrapper;
}

function ago(date) {
  const seconds = Math.max(0, (Date.now() - date.getTime()) / 1000);
  if (seconds < 90) return `${Math.round(seconds)} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 129600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

const metric = (record, name) => record.metrics?.[name] ?? null;

async function refreshModel() {
  const model = await getJson('api/model');
  page.imageBaseUrl = model.image_base_url || '';
  $('open-warning').hidden = model.requires_api_key;

  const facts = $('model-facts');
  const badge = $('model-badge');
  if (!model.serving) {
    facts.replaceChildren(fact('Version', 'none yet'));
    badge.hidden = true;
    $('model-note').textContent = 'No model is loaded yet: the first training has not finished.';
    $('model-note').hidden = false;
  } else {
    const t = model.serving.training;
    const trainedAt = new Date(t.trained_at);
    badge.textContent = `model v${t.version}`;
    badge.hidden = false;
    const version = fact('Version', String(t.version));
    version.querySelector('dd').id = 'model-version';
    facts.replaceChildren(
      version,
      fact('Algorithm', t.algorithm),
      fact('Trained', ago(trainedAt), true),
      fact('Training took', `${decimal.format(t.training_seconds)} s`, true),
      fact('Interactions', number.format(t.interactions)),
      fact('Buyers', number.format(t.buyers)),
      fact('Products', number.format(t.products)),
      fact('NDCG@10', metric(t, 'ndcg@10')?.toFixed(4) ?? '—'),
      fact('vs popularity', metric(t, 'popularity_ndcg@10')?.toFixed(4) ?? '—'),
      fact('Product rows', model.product_rows === null ? '—' : number.format(model.product_rows)));
    facts.querySelector('[data-fact="Trained"]').title = trainedAt.toISOString();
    $('model-note').textContent = t.fallback_reason ? `Serving popularity: ${t.fallback_reason}` : '';
    $('model-note').hidden = !t.fallback_reason;
  }

  const trainings = model.trainings;
  const labels = trainings.map(t => `v${t.version}`);
  lineChart($('quality-chart'), {
    labels,
    series: [
      { name: 'NDCG@10', values: trainings.map(t => metric(t, 'ndcg@10')), color: '#2f6fde' },
      { name: 'HR@10', values: trainings.map(t => metric(t, 'hr@10')), color: '#2f6fde', dashed: true },
      { name: 'popularity NDCG@10', values: trainings.map(t => metric(t, 'popularity_ndcg@10')), color: '#d9822b' },
      { name: 'popularity HR@10', values: trainings.map(t => metric(t, 'popularity_hr@10')), color: '#d9822b', dashed: true },
    ],
  });
  barChart($('duration-chart'), {
    labels, values: trainings.map(t => t.training_seconds), color: '#8fb3f2', name: 'training seconds',
    format: v => `${decimal.format(v)} s`,
  });

  if (page.firstRender) {
    page.firstRender = false;
    performance.mark('dashboard-rendered');
  }
}

// ---- serving panel ----------------------------------------------------------------------------

const ms = v => (v === null ? '—' : `${v < 10 ? v.toFixed(2) : decimal.format(v)} ms`);

async function refreshServing() {
  const serving = await getJson('api/serving');
  $('serving-facts').replaceChildren(
    fact('Requests/s', decimal.format(serving.requests_per_second)),
    fact('p50', ms(serving.p50_ms)),
    fact('p99', ms(serving.p99_ms)),
    fact('Requests', number.format(serving.requests)),
    fact('4xx', number.format(serving.client_errors)),
    fact('5xx', number.format(serving.server_errors)));
  const minutes = serving.minutes;
  barChart($('rate-chart'), {
    labels: minutes.map(m => (m.started_seconds_ago < 60 ? 'now' : `-${Math.floor(m.started_seconds_ago / 60)} min`)),
    values: minutes.map(m => m.requests_per_second),
    color: '#2f6fde', name: 'requests/s', format: v => decimal.format(v),
  });

  const rows = document.createElement('div');
  rows.className = 'sources';
  for (const [list, bySource] of Object.entries(serving.lists)) {
    const total = SOURCE_ORDER.reduce((sum, s) => sum + (bySource[s] ?? 0), 0);
    const bar = document.createElement('div');
    bar.className = 'bar';
    for (const source of SOURCE_ORDER) {
      const count = bySource[source] ?? 0;
      if (!count) continue;
      const part = document.createElement('span');
      part.className = `src-${source}`;
      part.style.width = `${(100 * count) / total}%`;
      part.title = `${source}: ${number.format(count)} (${Math.round((100 * count) / total)} %)`;
      bar.append(part);
    }
    const label = document.createElement('span');
    label.textContent = list;
    const count = document.createElement('span');
    count.textContent = total ? `${number.format(total)} lists` : 'none';
    rows.append(label, bar, count);
  }
  const key = document.createElement('div');
  key.className = 'legend-row';
  for (const source of SOURCE_ORDER) {
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.className = `src-${source}`;
    item.append(swatch, source);
    key.append(item);
  }
  $('sources').replaceChildren(rows, key);
}

// ---- experiment panel -------------------------------------------------------------------------

const percent = v => `${(100 * v).toFixed(2)} %`;
const pValue = p => (p < 0.001 ? '< 0.001' : p.toPrecision(2));
const money = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

async function refreshExperiment() {
  const report = await getJson('../experiments');
  $('experiment-name').textContent = report.running ? `· ${report.experiment}` : '· none configured';
  const verdict = $('experiment-verdict');
  verdict.textContent = report.verdict;
  verdict.className = `verdict${report.winner ? ' winner' : ''}`;
  verdict.dataset.winner = report.winner ?? '';
  $('experiment-rows').replaceChildren(...report.variants.map(v => {
    const tr = document.createElement('tr');
    tr.dataset.variant = v.name;
    const ci = v.conversion_rate_95;
    const rpm = v.revenue_per_1000_impressions_95;
    const versus = v.versus_control;
    tr.append(
      cell(v.name + (v.control ? ' (control)' : ''), v.name === report.winner ? 'winner' : ''),
      cell(v.algorithm ?? '—'),
      cell(v.share == null ? '—' : percent(v.share)),
      cell(number.format(v.buyer_days)),
      cell(number.format(v.impressions)),
      cell(number.format(v.attributed_orders)),
      cell(`${percent(v.conversion_rate)} (${percent(ci[0])}–${percent(ci[1])})`),
      cell(money.format(v.revenue)),
      cell(`${money.format(v.revenue_per_1000_impressions)}` + (rpm ? ` (${money.format(rpm[0])}–${money.format(rpm[1])})` : '')),
      cell(versus ? `${pValue(versus.conversion_p_value)}${versus.significant ? ' ✓' : ''}` : '—'));
    return tr;
  }));
  const days = [...new Set(report.days.map(d => d.day))];
  const variants = [...new Set(report.days.map(d => d.variant))];
  const chart = $('experiment-chart');
  if (days.length === 0) {
    chart.replaceChildren(Object.assign(document.createElement('p'), { className: 'empty', textContent: 'Nothing attributed yet.' }));
  } else {
    lineChart(chart, {
      labels: days,
      series: variants.map((variant, i) => ({
        name: variant,
        color: ['#2f6fde', '#d9822b', '#2e7d32', '#9c27b0', '#b42318'][i % 5],
        values: days.map(day => report.days.find(d => d.day === day && d.variant === variant)?.attributed_orders ?? 0),
      })),
      format: v => number.format(v),
    });
  }
  $('experiment-test').textContent = `Unit: a buyer shown lists of a variant on a day. Test: ${report.test}.`;
}

// ---- product cards ----------------------------------------------------------------------------

function imageOf(product) {
  let images = product.images;
  if (typeof images === 'string') {
    try { images = JSON.parse(images); } catch { images = [images]; }
  }
  const candidate = product.thumbnail || (Array.isArray(images) ? images[0] : null);
  if (typeof candidate !== 'string' || !candidate) return null;
  if (/^https?:\/\//i.test(candidate)) return candidate;
  if (!page.imageBaseUrl) return null;      // a shop-relative path means nothing on this host
  return new URL(candidate, page.imageBaseUrl.replace(/\/?$/, '/')).toString();
}

const nameOf = product => product?.name || product?.id || '(unknown product)';

function thumb(product) {
  const url = product && imageOf(product);
  if (url) {
    const img = document.createElement('img');
    img.className = 'thumb';
    img.loading = 'lazy';
    img.alt = '';
    img.src = url;
    img.addEventListener('error', () => img.replaceWith(placeholder(product)));
    return img;
  }
  return placeholder(product);
}

function placeholder(product) {
  const box = document.createElement('div');
  box.className = 'thumb';
  box.textContent = nameOf(product).slice(0, 2).toUpperCase();
  return box;
}

function card(product, productId, lines = []) {
  const li = document.createElement('li');
  li.className = 'card';
  li.dataset.productId = productId;
  if (product?.categoryId) li.dataset.categoryId = product.categoryId;
  const body = document.createElement('div');
  const name = document.createElement('div');
  name.className = 'name';
  name.textContent = nameOf(product);
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.textContent = [
    typeof product?.price === 'number' ? number.format(product.price) : null,
    product?.categoryId, product?.stockStatus === 'OUT_OF_STOCK' ? 'out of stock' : null,
  ].filter(Boolean).join(' · ');
  body.append(name, meta, ...lines);
  li.append(thumb(product), body);
  li.addEventListener('click', () => showSimilar(productId, nameOf(product)).catch(fail));
  if (product?.categoryId) page.categories.add(product.categoryId);
  return li;
}

function listInto(target, products, linesOf = () => []) {
  target.replaceChildren(...products.map((p, i) => card(p, p.id, linesOf(p, i))));
  if (products.length === 0) target.replaceChildren(Object.assign(document.createElement('li'), { className: 'empty', textContent: 'Nothing.' }));
  $('categories').replaceChildren(...[...page.categories].sort().map(c => Object.assign(document.createElement('option'), { value: c })));
}

function filters() {
  const query = new URLSearchParams();
  for (const [id, name] of [['category-id', 'category_id'], ['seller-id', 'seller_id'], ['min-price', 'min_price'], ['max-price', 'max_price'], ['top-k', 'top_k']]) {
    const value = $(id).value.trim();
    if (value) query.set(name, value);
  }
  return query;
}

const describe = (response, count) => `· ${count} from ${response.source}, model v${response.model_version}`;

// ---- try a buyer ------------------------------------------------------------------------------

function explanationLine(explanation) {
  if (!explanation?.because?.length) return [];
  const line = document.createElement('div');
  line.className = 'because';
  line.textContent = 'Because of ' + explanation.because.slice(0, 3).map(b => {
    const known = page.history.get(b.product_id);
    const name = known ? `${known.name} (${known.kind})` : b.product_id;
    return `${name} ${Math.round(b.share * 100)} %`;
  }).join(', ');
  line.dataset.because = explanation.because.map(b => b.product_id).join(' ');
  return [line];
}

/** Asks for explanations; a service that does not know explain=true yet is asked again without it. */
async function listWithExplanations(url) {
  try {
    return await getJson(`${url}&explain=true`);
  } catch (error) {
    if (error.status === 400 && /explain/i.test(error.message)) return getJson(url);
    throw error;
  }
}

async function showBuyer(buyerId) {
  const id = encodeURIComponent(buyerId);
  const query = filters();
  query.set('include_scores', 'true');
  query.set('track', 'false');
  const [history, recommended] = await Promise.all([
    getJson(`api/buyers/${id}/history?limit=${HISTORY_LIMIT}`),
    listWithExplanations(`../recommendations/${id}?${query}`),
  ]);
  page.history = new Map(history.interactions.map(i => [i.product_id, { name: nameOf(i.product) || i.product_id, kind: i.kind }]));

  $('history-note').textContent = `· ${history.total} interactions${history.live ? ', changed since training (real time)' : ''}` +
    (history.total > history.interactions.length ? `, newest ${history.interactions.length} shown` : '');
  const historyList = $('history');
  historyList.replaceChildren(...history.interactions.map(entry => {
    const when = document.createElement('div');
    when.className = 'meta';
    const kind = document.createElement('span');
    kind.className = `kind kind-${entry.kind}`;
    kind.textContent = entry.kind;
    when.append(kind, new Date(entry.at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }));
    const li = card(entry.product, entry.product_id, [when]);
    li.dataset.kind = entry.kind;
    return li;
  }));
  if (history.interactions.length === 0)
    historyList.replaceChildren(Object.assign(document.createElement('li'), { className: 'empty', textContent: 'No interactions: this buyer gets trending products.' }));

  $('recommendations-note').textContent = describe(recommended, recommended.recommended_products.length);
  listInto($('recommendations'), recommended.recommended_products, (product, i) => {
    const score = recommended.scores?.[i];
    const lines = explanationLine(recommended.explanations?.[i]);
    if (typeof score === 'number') {
      const s = document.createElement('div');
      s.className = 'meta';
      s.textContent = `score ${score.toFixed(3)}`;
      lines.unshift(s);
    }
    return lines;
  });
}

async function showSimilar(productId, name) {
  const response = await getJson(`../products/${encodeURIComponent(productId)}/similar?${filters()}&track=false`);
  $('similar-name').textContent = name;
  $('similar-note').textContent = describe(response, response.similar_products.length);
  listInto($('similar'), response.similar_products);
  $('similar-panel').hidden = false;
  $('similar-panel').scrollIntoView({ behavior: 'smooth', block: 'nearest' });
}

async function showTrending() {
  const response = await getJson(`../products/trending?${filters()}&track=false`);
  $('trending-note').textContent = describe(response, response.trending_products.length);
  listInto($('trending'), response.trending_products);
}

$('buyer-form').addEventListener('submit', event => {
  event.preventDefault();
  const buyerId = $('buyer-id').value.trim();
  showError('');
  Promise.all([showBuyer(buyerId), showTrending()]).catch(fail);
});

start();
