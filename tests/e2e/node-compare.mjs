// The comparison of a node report with earnings.py's printed figures (NODE_DATA.md §4.3 mapping,
// §4.4 rules), for the end-to-end tests: the same checks as crates/node/src/compare.rs.
const SLACK = 1e-9;
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** earnings.py's size text: the unit from the digit count of int(|x|), 2 decimals (the page's too). */
export function formatSize(x) {
  const digits = String(BigInt(Math.trunc(Math.abs(x)))).length;
  const power = Math.min(Math.floor((digits - 1) / 3), UNITS.length - 1);
  return `${(x / 1000 ** power).toFixed(2)} ${UNITS[power]}`;
}

const FIVE = { storage: 'd4', egress: 'd4', repair_audit: 'd4', held: 'd4', payout: 'd4' };
const SATELLITE = [
  ['name', 'str'], ['status', 'str'], ['price_disk_tbm', 'd2'], ['price_egress_tb', 'd2'], ['price_repair_tb', 'd2'],
  ['held_percent', 'int'], ['paid_percent', 'int'], ['joined', 'joined'], ['month_nr', 'month_nr'], ['held_total', 'd2'],
  ['reputation', { disq_percent: 'd2', susp_percent: 'd2', down_percent: 'd2' }],
  ['storage', 'd4'], ['egress', 'd4'], ['repair_audit', 'd4'], ['held', 'd4'], ['payout', 'd4'],
  ['surge', { ...FIVE, percent: 'int' }], ['held_returned', 'd4'], ['held_total_after_return', 'd2'],
  ['payout_after_return', 'd4'], ['difference', 'd4'], ['paid', 'd4'], ['paid_previous_months', 'd4'], ['paid_total', 'd4'],
  ['paid_total_zksync_bonus', 'd4'], ['payout_postponed', 'd4'], ['payout_notes', 'str'], ['transaction', { amount: 'd2', url: 'str' }],
];
const LINE = { price_tb: 'd2', bandwidth: 'size', payout: 'd2' };
const TOTALS = [
  ['totals.upload', 'totals.upload', 'size'], ['totals.upload_repair', 'totals.upload_repair', 'size'],
  ['totals.download', 'totals.download', LINE], ['totals.download_repair', 'totals.download_repair', LINE],
  ['totals.download_audit', 'totals.download_audit', LINE],
  ...[['disk_current_total', 'current_total'], ['disk_blobs', 'blobs'], ['disk_trash', 'trash'],
    ['uncollected_garbage', 'uncollected_garbage'], ['total_unpaid_data', 'total_unpaid_data'],
    ['disk_last_report', 'last_report'], ['disk_average_so_far', 'average_so_far']].map(([g, r]) => [`totals.${g}`, `disk.${r}`, 'size']),
  ['totals.disk_usage_month', 'totals.disk_usage_month', { price_tbm: 'd2', tbm: 'size', payout: 'd2' }],
  ['totals.total', 'totals.total', { tbm: 'size', bandwidth: 'size', payout: 'd2' }],
  ['totals.estimated_total', 'estimate.total', { tbm: 'size', bandwidth: 'size', payout: 'd2' }],
  ['totals.total_surge', 'totals.total_surge', { percent: 'd0', payout: 'd2' }],
  ['totals.storage_not_available', 'totals.storage_not_available', 'bool'],
  ['totals.table.held_total', 'totals.table.held_total', 'd2'],
  ...['storage', 'egress', 'repair_audit', 'held', 'payout'].map((k) => [`totals.table.${k}`, `totals.table.${k}`, 'd4']),
  ['totals.table.estimated', 'estimate.table', { ...FIVE, held_total: 'd2' }],
  ['totals.table.surge', 'totals.table.surge', { ...FIVE, percent: 'd0' }],
  ['totals.table.held_returned', 'totals.table.held_returned', 'd4'],
  ['totals.table.held_total_after_return', 'totals.table.held_total_after_return', 'd2'],
  ['totals.table.payout_after_return', 'totals.table.payout_after_return', 'd4'],
  ...['payout_difference', 'total_payout_this_month', 'paid_out_this_month', 'postponed_this_month', 'paid_previous_months',
    'paid_total', 'paid_total_zksync_bonus', 'postponed_payout_previous_months', 'postponed_payout_total']
    .map((k) => [`totals.table.${k}`, `payout.${k}`, 'd4']),
];

const absent = (v) => v === undefined || v === null;
const get = (doc, path) => path.split('.').reduce((cur, k) => (cur === null || cur === undefined ? cur : cur[k]), doc);

/** Returns the list of mismatches (empty when the report prints what earnings.py printed). */
export function compareNode(golden, report) {
  const diffs = [];
  const fail = (path, e, o, why = '') => diffs.push(`${path}: expected ${JSON.stringify(e)}, got ${JSON.stringify(o)} ${why}`);
  const leaf = (path, e, o, kind, parent) => {
    if (kind === 'joined') { if (e === '') { if (!absent(o)) fail(path, null, o); return; } kind = 'str'; }
    if (kind === 'month_nr') { if (e === 0 && parent?.joined === '') { if (!absent(o)) fail(path, null, o); return; } kind = 'int'; }
    if (e === null) { if (!absent(o)) fail(path, e, o, '(not printed)'); return; }
    if (absent(o)) { fail(path, e, o, '(printed)'); return; }
    if (kind === 'str' || kind === 'bool') { if (o !== e) fail(path, e, o); return; }
    if (kind === 'int') { if (Number(o) !== Number(e)) fail(path, e, o); return; }
    if (kind.startsWith('d')) {
      const tol = 0.5 * 10 ** -Number(kind.slice(1)) + SLACK;
      if (!(Math.abs(o - e) <= tol)) fail(path, e, o, `(${kind})`);
      return;
    }
    if (kind === 'size') {
      if (formatSize(o) === e.text) return;
      const scale = 1000 ** UNITS.indexOf(e.unit);
      if (!(Math.abs(o - e.value * scale) <= 0.005 * scale * (1 + SLACK) + SLACK)) fail(path, e.text, formatSize(o));
    }
  };
  const item = (path, e, o, kind, parent) => {
    if (typeof kind === 'string') { leaf(path, e, o, kind, parent); return; }
    if (e === null) { if (!absent(o)) fail(path, e, o, '(not printed)'); return; }
    if (absent(o)) { fail(path, e, o, '(printed)'); return; }
    for (const [k, sub] of Object.entries(kind)) leaf(`${path}.${k}`, e[k] ?? null, o[k], sub, e);
  };
  for (const k of ['month', 'mode']) leaf(k, golden[k], report[k], 'str');
  if (new Date(golden.now).getTime() !== new Date(report.now).getTime()) fail('now', golden.now, report.now);
  const kinds = (golden.notes ?? []).map((n) => (n.includes('first few days') ? 'first-days' : 'deviation'));
  if (JSON.stringify(kinds) !== JSON.stringify((report.notes ?? []).map((n) => n.kind))) fail('notes', kinds, report.notes);
  const gs = golden.satellites ?? [];
  const rs = report.satellites ?? [];
  if (gs.length !== rs.length) fail('satellites', gs.map((s) => s.name), rs.map((s) => s.name));
  else gs.forEach((g, i) => { for (const [k, kind] of SATELLITE) item(`satellites[${i}].${k}`, g[k] ?? null, rs[i][k], kind, g); });
  for (const [g, r, kind] of TOTALS) item(g, get(golden, g) ?? null, get(report, r), kind);
  return diffs;
}
