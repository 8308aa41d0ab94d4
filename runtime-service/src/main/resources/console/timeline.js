// Folds an execution's history (oldest first) into a timeline: one row per step run forward, then one row per
// compensation in the order it ran (the reverse of the steps), each with its attempts, their times and errors.

const ENDS = {
  STEP_SUCCEEDED: 'succeeded',
  STEP_FAILED: 'failed',
  STEP_COMPENSATED: 'compensated',
  STEP_COMPENSATION_FAILED: 'failed',
};
const FORWARD = new Set(['STEP_STARTED', 'STEP_SUCCEEDED', 'STEP_FAILED']);

/**
 * {start, end, rows: [{key, step, phase: 'forward'|'compensation', attempts: [{number, startedAt, endedAt,
 * outcome: 'running'|'succeeded'|'failed'|'compensated'|'interrupted', error, retryAt}]}], marks: [{at, type, text}]}
 * Times are epoch milliseconds; a running attempt's endedAt is null.
 */
export function timeline(events) {
  const rows = [];
  const open = new Map(); // row key -> the attempt in flight
  const marks = [];
  let start = null;
  let end = null;
  for (const event of events) {
    const at = Date.parse(event.at);
    start = start ?? at;
    end = at;
    if (event.step && (FORWARD.has(event.type) || event.type.startsWith('STEP_COMPENSATION') || event.type === 'STEP_COMPENSATED')) {
      const phase = FORWARD.has(event.type) ? 'forward' : 'compensation';
      const key = `${phase}:${event.step}`;
      let row = rows.find((candidate) => candidate.key === key);
      if (!row) {
        row = { key, step: event.step, phase, attempts: [] };
        rows.push(row);
      }
      if (event.type === 'STEP_STARTED' || event.type === 'STEP_COMPENSATION_STARTED') {
        closeInterrupted(open.get(key), at);
        const attempt = { number: row.attempts.length + 1, startedAt: at, endedAt: null, outcome: 'running', error: null, retryAt: null };
        row.attempts.push(attempt);
        open.set(key, attempt);
      } else {
        const attempt = open.get(key);
        if (attempt) {
          attempt.endedAt = at;
          attempt.outcome = ENDS[event.type];
          attempt.error = attempt.outcome === 'failed' ? event.detail : null;
          attempt.retryAt = event.retryAt ? Date.parse(event.retryAt) : null;
          open.delete(key);
        }
      }
    } else {
      if (event.type === 'RESUMED') {
        // The replica that drove the attempts in flight stopped; they were run again after this.
        open.forEach((attempt) => closeInterrupted(attempt, at));
        open.clear();
      }
      marks.push({ at, type: event.type, text: markText(event) });
    }
  }
  return { start, end, rows, marks };
}

function closeInterrupted(attempt, at) {
  if (attempt && attempt.outcome === 'running') {
    attempt.endedAt = at;
    attempt.outcome = 'interrupted';
  }
}

function markText(event) {
  switch (event.type) {
    case 'ADMIN_ACTION':
      return `${event.actor || 'admin'}: ${event.detail}`;
    case 'COMPENSATION_STARTED':
      return `compensation started${event.detail ? ` (${event.detail})` : ''}`;
    case 'FINISHED':
      return `finished ${event.state}${event.detail ? `: ${event.detail}` : ''}`;
    case 'CANCEL_REQUESTED':
      return `cancel requested${event.actor ? ` by ${event.actor}` : ''}`;
    default:
      return event.type.toLowerCase().replaceAll('_', ' ') + (event.detail ? `: ${event.detail}` : '');
  }
}

/** "850 ms", "2.4 s", "3 min 5 s". */
export function duration(millis) {
  if (millis == null || Number.isNaN(millis)) {
    return '';
  }
  if (millis < 1000) {
    return `${Math.max(0, Math.round(millis))} ms`;
  }
  if (millis < 60_000) {
    return `${(millis / 1000).toFixed(1)} s`;
  }
  const minutes = Math.floor(millis / 60_000);
  return minutes < 60 ? `${minutes} min ${Math.round((millis % 60_000) / 1000)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
