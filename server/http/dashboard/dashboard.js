// HorizonScale's dashboard: fleet health, a series' drill-down, the model
// audit and the pools, drawn from the server's JSON calls (Connect's unary
// form, the same handlers as gRPC) with uPlot. No framework, no CDN.
//
// When a view has rendered, <body data-ready="<view>"> is set and
// data-render-ms holds the time from the page's start to that render;
// script errors are counted in data-errors (tests/server/http read them).
'use strict';

const PLANNER = 'horizonscale.v1.CapacityPlannerService';
const FLEET = 'horizonscale.v1.FleetService';
const DAY = 86400;
const COLORS = { history: '#1d2430', champion: '#2b6cb0', runnerUp: '#9b59b6', threshold: '#d64545',
                 capacity: '#3f9b5a', planned: '#e0a526' };

const $ = (id) => document.getElementById(id);
let errors = 0;
window.addEventListener('error', () => { document.body.dataset.errors = ++errors; });
window.addEventListener('unhandledrejection', () => { document.body.dataset.errors = ++errors; });
document.body.dataset.errors = 0;

// ---- calls and formatting ----

class CallError extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.code = body.code || 'unknown';
    this.details = body.details || [];
  }
}

// The bearer token the user gave (servers with an --access_file), kept for
// this tab only.
const TOKEN_KEY = 'horizonscale-token';

// POSTs `body` to Service/Method; the answer's JSON, or a CallError. A 401
// shows the token form (a token that was refused is forgotten).
async function call(service, method, body) {
  const headers = { 'Content-Type': 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`/${service}/${method}`, {
    method: 'POST', headers, body: JSON.stringify(body || {}),
  });
  const text = await response.text();
  let json = {};
  try { json = text ? JSON.parse(text) : {}; } catch (e) { json = { message: text }; }
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('token-form').hidden = false;
  }
  if (!response.ok) throw new CallError(response.status, json);
  return json;
}

function showError(error) {
  const box = $('error');
  if (!error) { box.hidden = true; return; }
  const fields = (error.details || []).flatMap((d) => (d.debug && d.debug.fieldViolations) || [])
    .map((v) => `\n  ${v.field}: ${v.description}`).join('');
  box.textContent = `${error.code || 'error'}: ${error.message}${fields}`;
  box.hidden = false;
}

const num = (v) => Number(v || 0);
const seconds = (timestamp) => (timestamp ? Date.parse(timestamp) / 1000 : NaN);
const fmtInt = (v) => num(v).toLocaleString('en-US');
const fmtPct = (v, digits = 1) => `${num(v).toFixed(digits)} %`;
const fmtShare = (v) => `${(num(v) * 100).toFixed(0)} %`;
const fmtMoney = (v) => `$${num(v).toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
function fmtDate(timestamp) {
  if (!timestamp) return '—';
  return new Date(timestamp).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}
function fmtRelativeDays(timestamp) {
  const days = Math.round((seconds(timestamp) - Date.now() / 1000) / DAY);
  if (Number.isNaN(days)) return '';
  if (days === 0) return 'today';
  return days > 0 ? `in ${days} d` : `${-days} d ago`;
}
function fmtDuration(value) {
  const s = num(value);
  if (s < 1) return `${(s * 1000).toFixed(0)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  return `${(s / 60).toFixed(1)} min`;
}
const resourceName = (r) => ({ RESOURCE_CPU: 'CPU', RESOURCE_MEMORY: 'memory', RESOURCE_DISK: 'disk',
                               RESOURCE_NETWORK: 'network' }[r] || r || '—');
const modelName = (m) => (m || 'FORECAST_MODEL_UNSPECIFIED').replace('FORECAST_MODEL_', '').toLowerCase().replace(/_/g, ' ');

// Fills `table` with a header row and one row per item.
function fillTable(table, columns, rows, onClick) {
  const head = `<thead><tr>${columns.map((c) => `<th class="${c.num ? 'num' : ''}">${c.title}</th>`).join('')}</tr></thead>`;
  table.innerHTML = head + '<tbody></tbody>';
  const body = table.tBodies[0];
  for (const row of rows) {
    const tr = document.createElement('tr');
    tr.innerHTML = columns.map((c) => `<td class="${c.num ? 'num' : ''}${c.wrap ? ' wrap' : ''}">${c.value(row)}</td>`).join('');
    if (onClick) tr.addEventListener('click', () => onClick(row));
    body.appendChild(tr);
  }
  if (rows.length === 0) body.innerHTML = `<tr><td class="muted" colspan="${columns.length}">none</td></tr>`;
}

const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

function download(name, text) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

// ---- charts ----

// Vertical dashed lines with labels at x values.
function markersPlugin(markers) {
  return {
    hooks: {
      draw: [(u) => {
        const { ctx } = u;
        for (const marker of markers) {
          const x = u.valToPos(marker.x, 'x', true);
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
          ctx.save();
          ctx.strokeStyle = marker.color;
          ctx.fillStyle = marker.color;
          ctx.setLineDash([5, 4]);
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.font = `${12 * devicePixelRatio}px system-ui`;
          ctx.fillText(marker.label, x + 4 * devicePixelRatio, u.bbox.top + (14 + 14 * (marker.row || 0)) * devicePixelRatio);
          ctx.restore();
        }
      }],
    },
  };
}

// Series keyed by time merged onto one sorted x axis (uPlot's aligned data).
function align(seriesMaps) {
  const xs = [...new Set(seriesMaps.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  return [xs, ...seriesMaps.map((m) => xs.map((x) => (m.has(x) ? m.get(x) : null)))];
}

function drawChart(element, options, data) {
  element.innerHTML = '';
  const width = Math.max(320, element.clientWidth - 16);
  return new uPlot({ width, height: 360, ...options }, data, element);
}

// ---- fleet health ----

const fleetState = { pageToken: '', risks: [] };

async function showFleet(pageToken = '') {
  let report;
  try {
    report = await call(FLEET, 'GetRiskReport', { pageSize: 25, pageToken });
  } catch (error) {
    if (error.status === 404 || error.code === 'failed_precondition') {
      $('fleet-run').textContent = 'no tournament run yet: start one with RunCompetition';
      $('fleet-tiles').innerHTML = '';
      return;
    }
    throw error;
  }
  fleetState.pageToken = report.nextPageToken || '';
  fleetState.risks = report.entries || [];
  $('fleet-run').textContent = `run ${report.runId}`;
  const health = report.fleetHealth || {};
  const total = num(health.red) + num(health.yellow) + num(health.green);
  const tile = (cls, label, n, note) => `<div class="tile ${cls}"><div class="n" data-count="${cls}">${fmtInt(n)}</div>` +
    `<div>${label}</div><div class="muted">${total ? fmtShare(num(n) / total) : ''} ${note}</div></div>`;
  $('fleet-tiles').innerHTML =
    tile('red', 'red', health.red, 'High Trust at risk') +
    tile('yellow', 'yellow', health.yellow, 'watch') +
    tile('green', 'green', health.green, 'healthy') +
    `<div class="tile"><div class="n" data-count="series">${fmtInt(total)}</div><div>series</div>` +
    `<div class="muted">in the latest run</div></div>`;
  const threshold = num(report.breachThresholdPercent);
  const windowDays = num(String(report.riskWindow || '0s').replace('s', '')) / DAY;
  $('fleet-legend').textContent =
    `Red: the champion forecast's ${fmtShare(report.intervalLevel)} upper bound crosses ${threshold} % ` +
    `within ${windowDays} days. Yellow: it crosses later in the horizon, or reaches ${num(report.warningLevelPercent)} % ` +
    `within ${windowDays} days. Green: neither.`;

  const rollup = new Map((report.departments || []).map((d) => [d.department || '', d]));
  fillTable($('fleet-departments'), [
    { title: 'Department', value: (d) => escapeHtml(d.department || '(none)') },
    { title: 'Red', num: true, value: (d) => fmtInt(d.red) },
    { title: 'Yellow', num: true, value: (d) => fmtInt(d.yellow) },
    { title: 'Green', num: true, value: (d) => fmtInt(d.green) },
    { title: '', value: (d) => {
      const n = num(d.red) + num(d.yellow) + num(d.green) || 1;
      return `<div class="bar"><span class="red" style="width:${100 * num(d.red) / n}%"></span>` +
        `<span class="yellow" style="width:${100 * num(d.yellow) / n}%"></span>` +
        `<span class="green" style="width:${100 * num(d.green) / n}%"></span></div>`;
    } },
    { title: 'Hosts at risk', num: true, value: (d) => fmtInt((rollup.get(d.department || '') || {}).hostsAtRisk) },
    { title: 'Earliest breach', value: (d) => fmtDate((rollup.get(d.department || '') || {}).earliestBreachTime) },
  ], report.departmentHealth || []);

  fillTable($('fleet-risks'), [
    { title: 'Host', value: (r) => escapeHtml(r.hostId) },
    { title: 'Resource', value: (r) => resourceName(r.resource) },
    { title: 'Department', value: (r) => escapeHtml(r.department) },
    { title: 'App', value: (r) => escapeHtml(r.appCode) },
    { title: 'Breach', value: (r) => `${fmtDate(r.firstBreachTime)} <span class="muted">${fmtRelativeDays(r.firstBreachTime)}</span>` },
    { title: 'Planned action', value: (r) => `${fmtDate(r.plannedActionTime)} <span class="muted">${fmtRelativeDays(r.plannedActionTime)}</span>` },
    { title: 'Peak upper', num: true, value: (r) => fmtPct(r.peakUpperPercent) },
    { title: 'Champion', value: (r) => modelName(r.champion) },
  ], fleetState.risks, (r) => { location.hash = `#host/${encodeURIComponent(r.hostId)}/${r.resource}`; });
  $('risk-page').textContent = pageToken ? '(later page)' : '(earliest breaches first)';
  $('risk-next').disabled = !fleetState.pageToken;
  const hosts = $('host-ids');
  hosts.innerHTML = [...new Set(fleetState.risks.map((r) => r.hostId))].map((h) => `<option value="${escapeHtml(h)}">`).join('');
}

async function exportCsv(field, name) {
  const report = await call(FLEET, 'GetRiskReport', { pageSize: 1, includeCsv: true });
  download(name, report[field] || '');
}

// ---- drill-down ----

async function showHost(hostId, resource) {
  $('host-id').value = hostId || '';
  $('host-resource').value = resource || 'RESOURCE_CPU';
  if (!hostId) {
    $('host-chart').innerHTML = '<p class="muted">Pick a host from the risk list or the leaderboard, or type its id.</p>';
    $('host-side').innerHTML = '';
    return;
  }
  const [drill, report] = await Promise.all([
    call(FLEET, 'GetHostForecast', { hostId, resource }),
    call(FLEET, 'GetRiskReport', { pageSize: 1 }),
  ]);
  const threshold = num(report.breachThresholdPercent) || 95;
  const toMap = (points, field) => new Map((points || []).map((p) => [seconds(p.time), p[field] === undefined ? 0 : num(p[field])]));
  const champion = drill.champion || {};
  const runnerUp = drill.runnerUp || {};
  const history = toMap(drill.history, 'value');
  const maps = [
    history,
    toMap(champion.backtest, 'value'),
    toMap(champion.forecast, 'value'), toMap(champion.forecast, 'lower'), toMap(champion.forecast, 'upper'),
    toMap(runnerUp.forecast, 'value'), toMap(runnerUp.forecast, 'lower'), toMap(runnerUp.forecast, 'upper'),
    toMap(runnerUp.backtest, 'value'),
  ];
  const data = align(maps);
  data.push(data[0].map(() => threshold));
  // The breach: the first forecast day the champion's upper bound reaches the
  // threshold; the planned action 30 days (the default lead time) before it.
  const breach = (champion.forecast || []).find((p) => num(p.upper) >= threshold);
  const markers = [];
  if (breach) {
    markers.push({ x: seconds(breach.time), label: `breach ${fmtDate(breach.time)}`, color: COLORS.threshold });
    markers.push({ x: seconds(breach.time) - 30 * DAY, label: 'planned action', color: COLORS.planned, row: 1 });
  }
  const level = fmtShare((champion.forecast || [{}])[0].confidenceLevel || 0.8);
  drawChart($('host-chart'), {
    title: `${hostId} · ${resourceName(resource)} utilization, %`,
    scales: { x: { time: true } },
    series: [
      {},
      { label: 'history', stroke: COLORS.history, width: 1 },
      { label: `${modelName(champion.model)} backtest`, stroke: COLORS.champion, dash: [2, 3], width: 1 },
      { label: `champion: ${modelName(champion.model)}`, stroke: COLORS.champion, width: 2 },
      { label: `${level} lower`, stroke: 'rgba(43,108,176,0.4)', width: 1 },
      { label: `${level} upper`, stroke: 'rgba(43,108,176,0.4)', width: 1 },
      { label: `runner-up: ${modelName(runnerUp.model)}`, stroke: COLORS.runnerUp, dash: [6, 4], width: 1.5 },
      { label: 'lower', stroke: 'rgba(155,89,182,0.3)', width: 1, show: false },
      { label: 'upper', stroke: 'rgba(155,89,182,0.3)', width: 1, show: false },
      { label: `${modelName(runnerUp.model)} backtest`, stroke: COLORS.runnerUp, dash: [2, 3], width: 1 },
      { label: `${threshold} %`, stroke: COLORS.threshold, width: 1, dash: [3, 3], points: { show: false } },
    ],
    bands: [{ series: [5, 4], fill: 'rgba(43,108,176,0.15)' }, { series: [8, 7], fill: 'rgba(155,89,182,0.10)' }],
    axes: [{}, { values: (u, ticks) => ticks.map((t) => `${t} %`) }],
    plugins: [markersPlugin(markers)],
  }, data);
  const accuracy = (m) => m.accuracy || {};
  const row = (label, f) => `<tr><td>${label}</td><td class="num">${f(champion)}</td><td class="num">${f(runnerUp)}</td></tr>`;
  $('host-side').innerHTML =
    `<table class="data"><thead><tr><th></th><th class="num">champion</th><th class="num">runner-up</th></tr></thead><tbody>` +
    row('model', (m) => modelName(m.model)) +
    row('MAPE', (m) => fmtPct(accuracy(m).mapePercent, 2)) +
    row('sMAPE', (m) => fmtPct(accuracy(m).smapePercent, 2)) +
    row('MASE', (m) => num(accuracy(m).mase).toFixed(3)) +
    row(`${level} coverage`, (m) => fmtShare(accuracy(m).intervalCoverage)) +
    row('points scored', (m) => fmtInt(accuracy(m).pointsScored)) +
    `</tbody></table><p class="muted">Backtest accuracy on history the models did not see; ` +
    `the band is the champion's ${level} interval.</p>` +
    (breach ? `<p><span class="badge red">breach</span> upper bound reaches ${threshold} % on ${fmtDate(breach.time)} ` +
      `(${fmtRelativeDays(breach.time)})</p>` : `<p><span class="badge green">no breach</span> within the forecast</p>`);
}

// ---- model audit ----

const auditState = { pageToken: '' };

async function showAudit(pageToken = '') {
  let board;
  try {
    board = await call(FLEET, 'GetLeaderboard', { pageSize: 20, pageToken });
  } catch (error) {
    if (error.status === 404 || error.code === 'failed_precondition') {
      $('audit-run').textContent = 'no tournament run yet';
      return;
    }
    throw error;
  }
  auditState.pageToken = board.nextPageToken || '';
  $('audit-run').textContent = `run ${board.runId}`;
  const audit = board.audit || {};
  const overall = audit.overall || [];
  const totalWins = overall.reduce((s, w) => s + num(w.wins), 0) || 1;
  fillTable($('audit-overall'), [
    { title: 'Model', value: (w) => modelName(w.model) },
    { title: 'Wins', num: true, value: (w) => fmtInt(w.wins) },
    { title: 'Share', value: (w) => `<div class="bar" style="min-width:80px"><span class="green" style="width:${100 * num(w.wins) / totalWins}%"></span></div>` },
    { title: 'Median MAPE', num: true, value: (w) => fmtPct(w.medianMapePercent, 2) },
  ], overall);
  const groups = (list, name) => (list || []).flatMap((g) => (g.wins || []).slice(0, 3).map((w, i) => ({ ...w, group: i === 0 ? name(g.group) : '' })));
  const groupColumns = (title) => [
    { title, value: (w) => escapeHtml(w.group) },
    { title: 'Model', value: (w) => modelName(w.model) },
    { title: 'Wins', num: true, value: (w) => fmtInt(w.wins) },
    { title: 'Median MAPE', num: true, value: (w) => fmtPct(w.medianMapePercent, 2) },
  ];
  const resourceByNumber = { 1: 'CPU', 2: 'memory', 3: 'disk', 4: 'network' };
  fillTable($('audit-resource'), groupColumns('Resource'), groups(audit.perResource, (g) => resourceByNumber[g] || g));
  fillTable($('audit-scenario'), groupColumns('Scenario'), groups(audit.perScenario, (g) => g || '(none)'));
  fillTable($('audit-board'), [
    { title: 'Host', value: (e) => escapeHtml(e.hostId) },
    { title: 'Resource', value: (e) => resourceName(e.resource) },
    { title: 'Rank', num: true, value: (e) => num(e.rank) || '—' },
    { title: 'Model', value: (e) => `${modelName(e.model)}${e.champion ? ' <span class="badge green">champion</span>' : ''}` },
    { title: 'MAPE', num: true, value: (e) => fmtPct((e.accuracy || {}).mapePercent, 2) },
    { title: 'sMAPE', num: true, value: (e) => fmtPct((e.accuracy || {}).smapePercent, 2) },
    { title: 'MASE', num: true, value: (e) => num((e.accuracy || {}).mase).toFixed(3) },
    { title: 'Coverage', num: true, value: (e) => fmtShare((e.accuracy || {}).intervalCoverage) },
  ], board.entries || [], (e) => { location.hash = `#host/${encodeURIComponent(e.hostId)}/${e.resource}`; });
  $('board-page').textContent = pageToken ? '(later page)' : '(by host, resource, rank)';
  $('board-next').disabled = !auditState.pageToken;
}

// ---- pools ----

const poolState = { queue: null, plan: null };

async function showPools(name) {
  const list = await call(PLANNER, 'ListQueues', { pageSize: 100 });
  const queues = list.queues || [];
  $('pool-count').textContent = `${queues.length} queue${queues.length === 1 ? '' : 's'}`;
  const select = $('pool-select');
  select.innerHTML = queues.map((q) => `<option value="${escapeHtml(q.name)}">${escapeHtml(q.name)}</option>`).join('');
  if (queues.length === 0) {
    $('pool-chart').innerHTML = '<p class="muted">No queue yet: GeneratePlan creates one.</p>';
    return;
  }
  const chosen = queues.find((q) => q.name === name) ? name : queues[0].name;
  select.value = chosen;
  const { queue } = await call(PLANNER, 'GetQueue', { name: chosen });
  poolState.queue = queue;
  poolState.plan = queue.lastPlanId ? (await call(PLANNER, 'GetPlan', { planId: queue.lastPlanId })).plan : null;
  let forecast = null;
  try {
    forecast = await call(PLANNER, 'GetForecasts', { queue: chosen, horizonSteps: 60, includeHistory: true });
  } catch (error) {
    if (error.code !== 'failed_precondition') throw error;  // too little history to forecast
  }
  drawPool(queue, poolState.plan, forecast);
}

function drawPool(queue, plan, forecast) {
  const metrics = queue.lastMetrics || {};
  const serviceTime = num(metrics.meanServiceTimeSeconds) || 1;
  const toMap = (points, field) => new Map((points || []).map((p) => [seconds(p.time), num(p[field])]));
  const history = toMap(forecast && forecast.history && forecast.history.points, 'value');
  if (history.size === 0 && metrics.observeTime) history.set(seconds(metrics.observeTime), num(metrics.arrivalRatePerSecond));
  const points = forecast ? forecast.points : [];
  // Planned capacity: the plan's workers per interval, in jobs per second.
  const capacity = new Map();
  for (const interval of (plan && plan.intervals) || []) capacity.set(seconds(interval.startTime), num(interval.workers) / serviceTime);
  const planned = new Map(((plan && plan.intervals) || []).map((i) => [seconds(i.startTime), num(i.arrivalRatePerSecond)]));
  const data = align([history, toMap(points, 'value'), toMap(points, 'lower'), toMap(points, 'upper'), planned, capacity]);
  drawChart($('pool-chart'), {
    title: `${queue.name}: arrival rate and planned capacity, jobs/s`,
    scales: { x: { time: true } },
    series: [
      {},
      { label: 'observed', stroke: COLORS.history, width: 1.5 },
      { label: 'forecast', stroke: COLORS.champion, width: 2 },
      { label: 'lower', stroke: 'rgba(43,108,176,0.4)', width: 1 },
      { label: 'upper', stroke: 'rgba(43,108,176,0.4)', width: 1 },
      { label: 'planned for', stroke: COLORS.planned, width: 1.5, dash: [4, 3], spanGaps: true },
      { label: 'capacity (workers ÷ service time)', stroke: COLORS.capacity, width: 2, spanGaps: true,
        paths: uPlot.paths.stepped({ align: 1 }) },
    ],
    bands: [{ series: [4, 3], fill: 'rgba(43,108,176,0.15)' }],
  }, data);
  const facts = [];
  const fact = (label, value) => facts.push(`<dt>${label}</dt><dd>${value}</dd>`);
  if (plan) {
    const achievable = plan.sloAchievable ? '<span class="badge green">SLO met</span>' : '<span class="badge red">SLO not achievable</span>';
    fact('plan', `${escapeHtml(plan.planId.slice(0, 8))}… ${fmtDate(plan.generateTime)} ${achievable}`);
    fact('workers', `${num(plan.currentWorkers)} → <b>${num(plan.targetWorkers)}</b> (${num(plan.capacityChangePercent).toFixed(0)} %)`);
    fact('confidence', `${fmtShare(plan.confidence)}${plan.autoApplyRecommended ? ' <span class="badge green">auto-apply</span>' : ''}`);
    fact('urgency', (plan.urgency || '').replace('PLAN_URGENCY_', '').toLowerCase() || '—');
    const cost = plan.costImpact || {};
    fact('cost / hour', `${fmtMoney(cost.currentCostPerHour)} → ${fmtMoney(cost.projectedCostPerHour)}`);
    fact('monthly Δ', fmtMoney(cost.monthlyCostDelta));
    for (const warning of plan.warnings || []) fact('<span class="warning">warning</span>', `${escapeHtml(warning.reason)}: ${escapeHtml(warning.message)}`);
  }
  fact('arrival rate', `${num(metrics.arrivalRatePerSecond).toFixed(2)} jobs/s at ${fmtDuration(serviceTime)} each`);
  if (forecast) fact('forecast model', `${modelName(forecast.model && forecast.model.model)}`);
  $('pool-side').innerHTML = `<dl class="facts">${facts.join('')}</dl>` +
    (plan ? `<p class="muted">${escapeHtml(plan.rationale)}</p>` : '');
  fillTable($('pool-steps'), [
    { title: '#', num: true, value: (s) => num(s.sequence) },
    { title: 'When', value: (s) => `${new Date(s.scheduleTime).toLocaleTimeString('en-US', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' })} UTC` },
    { title: 'Action', value: (s) => (s.action || '').replace('SCALING_ACTION_', '').toLowerCase().replace('_', ' ') },
    { title: 'Workers', value: (s) => `${num(s.fromWorkers)} → ${num(s.toWorkers)}` },
    { title: 'Cost / hour', num: true, value: (s) => fmtMoney(s.estimatedCostPerHour) },
    { title: 'Confidence', num: true, value: (s) => fmtShare(s.confidence) },
    { title: 'Why', wrap: true, value: (s) => escapeHtml(s.rationale) },
  ], (plan && plan.steps) || []);
}

async function whatIf(event) {
  if (event) event.preventDefault();
  const { queue, plan } = poolState;
  if (!queue || !plan) return;
  const metrics = queue.lastMetrics || {};
  const hours = Math.max(1, Math.min(24, num($('whatif-hours').value)));
  const rate = num(metrics.arrivalRatePerSecond) * num($('whatif-scale').value);
  const result = await call(PLANNER, 'Simulate', {
    planId: plan.planId,
    scenarios: [{
      name: 'what-if',
      traffic: { kind: 'TRAFFIC_PATTERN_KIND_CONSTANT', baseRatePerSecond: rate,
                 spikes: [{ startOffset: `${hours * 1800}s`, duration: '600s', magnitude: num($('whatif-spike').value), shape: 'SPIKE_SHAPE_BELL' }] },
      duration: `${hours * 3600}s`, granularity: '300s',
    }],
    serviceTime: { meanSeconds: num(metrics.meanServiceTimeSeconds) || 1 },
    slo: queue.slo && Object.keys(queue.slo).length ? queue.slo : { p95LatencySeconds: 1 },
    seed: 1,
  });
  const scenario = (result.results || [])[0] || {};
  const summary = scenario.summary || {};
  $('whatif-summary').textContent = `SLO met ${fmtShare(summary.sloAchievement)} of the time · P95 ${fmtDuration(summary.p95LatencySeconds)} · ` +
    `max backlog ${fmtInt(summary.maxBacklog)} jobs · cost ${fmtMoney(summary.totalCost)}`;
  const timeline = scenario.timeline || [];
  drawChart($('whatif-chart'), {
    title: `Simulated: ${rate.toFixed(1)} jobs/s with a ${$('whatif-spike').value}× spike`,
    scales: { x: { time: true }, backlog: {} },
    series: [
      {},
      { label: 'P95 latency, s', stroke: COLORS.champion, width: 2 },
      { label: 'backlog, jobs', stroke: COLORS.threshold, width: 1.5, scale: 'backlog' },
      { label: 'workers', stroke: COLORS.capacity, width: 1.5, scale: 'backlog', paths: uPlot.paths.stepped({ align: 1 }) },
    ],
    axes: [{}, { label: 'seconds' }, { side: 1, scale: 'backlog', label: 'jobs, workers', grid: { show: false } }],
  }, [timeline.map((w) => seconds(w.startTime)), timeline.map((w) => num(w.p95LatencySeconds)),
      timeline.map((w) => num(w.backlog)), timeline.map((w) => num(w.workers))]);
}

// ---- routing ----

async function route() {
  const [view, ...args] = (location.hash.replace(/^#/, '') || 'fleet').split('/').map(decodeURIComponent);
  const known = ['fleet', 'host', 'audit', 'pools'];
  const current = known.includes(view) ? view : 'fleet';
  for (const name of known) $(`view-${name}`).hidden = name !== current;
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.view === current));
  delete document.body.dataset.ready;
  showError(null);
  $('status').textContent = 'loading…';
  try {
    if (current === 'fleet') await showFleet();
    if (current === 'host') await showHost(args[0], args[1]);
    if (current === 'audit') await showAudit();
    if (current === 'pools') {
      await showPools(args[0]);
      if (args[1] === 'whatif') await whatIf();  // #pools/<queue>/whatif: simulate at once
    }
    $('status').textContent = `updated ${new Date().toLocaleTimeString('en-US')}`;
  } catch (error) {
    showError(error);
    $('status').textContent = '';
  }
  document.body.dataset.renderMs = Math.round(performance.now());
  document.body.dataset.ready = current;
}

const guarded = (f) => (...args) => f(...args).catch(showError);
$('risk-next').addEventListener('click', guarded(() => showFleet(fleetState.pageToken)));
$('risk-first').addEventListener('click', guarded(() => showFleet('')));
$('board-next').addEventListener('click', guarded(() => showAudit(auditState.pageToken)));
$('board-first').addEventListener('click', guarded(() => showAudit('')));
$('csv-risks').addEventListener('click', guarded(() => exportCsv('riskExceptionsCsv', 'risk-exceptions.csv')));
$('csv-monthly').addEventListener('click', guarded(() => exportCsv('monthlySummaryCsv', 'monthly-summary.csv')));
$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
  $('token-input').value = '';
  $('token-form').hidden = true;
  route();
});
$('host-form').addEventListener('submit', (event) => {
  event.preventDefault();
  location.hash = `#host/${encodeURIComponent($('host-id').value.trim())}/${$('host-resource').value}`;
});
$('pool-select').addEventListener('change', () => { location.hash = `#pools/${encodeURIComponent($('pool-select').value)}`; });
$('whatif').addEventListener('submit', (event) => whatIf(event).catch(showError));
window.addEventListener('hashchange', route);
route();
