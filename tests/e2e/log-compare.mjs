// The comparison rules of LOGS.md §4.5-§4.7 for a log report in the browser tests (the same
// rules as crates/logs/src/compare.rs): counts equal to the truth, rates consistent with their
// counts, successrate.sh's figures equal to the golden, the differences' causes equal to the
// truth's account of extra and missing lines. Returns the list of mismatches.

const CATEGORY_OF = { GET_AUDIT: 'audit', GET: 'download', PUT: 'upload', GET_REPAIR: 'repair_download', PUT_REPAIR: 'repair_upload' };
const STATUSES = ['success', 'canceled', 'failed'];
const COUNTERS = {
  audit_failed_crit: 'audit.critically_failed', audit_failed_warn: 'audit.recoverable_failed', audit_success: 'audit.successful',
  dl_failed: 'download.failed', dl_canceled: 'download.canceled', dl_success: 'download.successful',
  put_rejected: 'upload.rejected', put_failed: 'upload.failed', put_canceled: 'upload.canceled', put_success: 'upload.successful',
  get_repair_failed: 'repair_download.failed', get_repair_canceled: 'repair_download.canceled', get_repair_success: 'repair_download.successful',
  put_repair_failed: 'repair_upload.failed', put_repair_canceled: 'repair_upload.canceled', put_repair_success: 'repair_upload.successful',
  delete_failed: 'delete.failed', delete_success: 'delete.successful',
};

export function causeOfKind(kind, counter) {
  if (kind.startsWith('truncated last line')) return 'truncated_last_line';
  if (kind.includes('(reason: downloaded size mismatch)')) return 'size_mismatch_cancel';
  if (kind.includes('download failed GET_AUDIT') && (counter === 'audit_failed_crit' || counter === 'audit_failed_warn')) return 'exist_in_error';
  if (kind.includes('failed to close piece reader')) return 'failed_to_close_piece_reader';
  if (kind.includes('[no Action field]')) return 'race_lost_without_action';
  if (kind.includes('(twin of a race-lost line)')) return 'debug_twin';
  if (kind === 'pieces DEBUG deleted piece') return 'debug_deleted_piece';
  if (['collector ', 'retain ', 'lazyfilewalker.', 'pieces:trash '].some((p) => kind.startsWith(p))) return 'gc_or_expiry_line';
  return 'other_line';
}

export function compareLogReport(golden, truth, r) {
  const bad = [];
  const eq = (path, want, got) => { if (want !== got) bad.push(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`); };
  const rate = (path, value, num, den) => {
    if (den === 0) { if (value !== null) bad.push(`${path}: expected null, got ${value}`); return; }
    const want = (100 * num) / den;
    if (typeof value !== 'number' || Math.abs(value - want) > 1e-9 * Math.max(1, Math.abs(want))) bad.push(`${path}: expected ${want}, got ${value}`);
  };
  eq('format', 'storj-log-report/1', r.format);
  eq('lines.read', truth.file.lines, r.lines.read);
  for (const [action, cat] of Object.entries(CATEGORY_OF)) {
    for (const st of STATUSES) {
      eq(`categories.${cat}.${st}`, truth.transfers.by_action[action]?.[st] ?? 0, r.categories[cat][st]);
      eq(`categories.${cat}.bytes.${st}`, truth.transfers.size_bytes_by_action[action]?.[st] ?? 0, r.categories[cat].bytes[st]);
    }
    const c = r.categories[cat];
    eq(`categories.${cat}.total`, c.success + c.canceled + c.failed, c.total);
    rate(`categories.${cat}.success_rate`, c.success_rate, c.success, c.total);
  }
  for (const k of ['success', 'canceled', 'failed_critical', 'failed_recoverable']) eq(`categories.audit.${k}`, truth.audit[k], r.categories.audit[k]);
  eq('categories.upload.rejected', truth.uploads_rejected.total, r.categories.upload.rejected);
  eq('categories.delete.success', truth.deletes_piecestore.success, r.categories.delete.success);
  eq('categories.delete.failed', truth.deletes_piecestore.failed, r.categories.delete.failed);
  for (const [name, per] of Object.entries(truth.transfers.by_satellite)) {
    const s = r.satellites.find((x) => x.id === truth.satellites[name]);
    if (!s) { bad.push(`satellites: no ${name}`); continue; }
    eq(`satellites[${name}].name`, name, s.name);
    for (const [action, cat] of Object.entries(CATEGORY_OF)) {
      for (const st of STATUSES) eq(`satellites[${name}].${cat}.${st}`, per[action]?.[st] ?? 0, s.categories[cat][st]);
    }
  }
  for (const [h, per] of Object.entries(truth.by_hour_utc)) {
    const e = r.hourly.find((x) => x.hour.slice(0, 13) === h);
    if (!e) { bad.push(`hourly[${h}]: missing`); continue; }
    for (const [action, cat] of Object.entries(CATEGORY_OF)) eq(`hourly[${h}].${cat}`, JSON.stringify(per[action] ?? [0, 0, 0]), JSON.stringify(e[cat]));
    eq(`hourly[${h}].upload_rejected`, per.rejected ?? 0, e.upload_rejected);
  }
  for (const [cat, fields] of Object.entries(golden.categories)) {
    for (const [f, want] of Object.entries(fields)) {
      const got = r.successrate_compat.categories[cat][f];
      if (f.endsWith('_rate')) {
        if (want === null || got === null) { if (want !== got) bad.push(`compat.${cat}.${f}: ${want} vs ${got}`); }
        else if (Math.abs(want - got) > 0.001 + 1e-9) bad.push(`compat.${cat}.${f}: ${want} vs ${got}`);
      } else eq(`compat.${cat}.${f}`, want, got);
    }
  }
  const sm = truth.successrate_model;
  for (const [ctr, field] of Object.entries(COUNTERS)) {
    const want = {};
    for (const [side, sign] of [['extra', 1], ['missing', -1]]) {
      for (const [kind, n] of Object.entries(sm[side][ctr] ?? {})) {
        const c = causeOfKind(kind, ctr);
        want[c] = (want[c] ?? 0) + sign * n;
      }
    }
    const d = r.successrate_compat.differences.find((x) => x.field === field);
    const got = {};
    for (const c of d?.causes ?? []) got[c.cause] = (got[c.cause] ?? 0) + c.lines;
    for (const c of new Set([...Object.keys(want), ...Object.keys(got)])) eq(`differences[${field}].${c}`, want[c] ?? 0, got[c] ?? 0);
    if (d) eq(`differences[${field}].storj_lens`, sm.semantic[ctr], d.storj_lens);
  }
  return bad;
}
