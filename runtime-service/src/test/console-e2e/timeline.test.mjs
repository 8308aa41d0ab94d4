// Unit tests of the console's history-to-timeline folding (node --test; run by ConsoleEndToEndTest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duration, timeline } from '../../main/resources/console/timeline.js';

let index = 0;
const at = (ms) => new Date(Date.UTC(2026, 11, 2, 9, 0, 0, ms)).toISOString();
const event = (ms, type, fields = {}) => ({ index: index++, type, at: at(ms), state: 'RUNNING', attempt: 0, ...fields });

test('a retried step has two attempts, the first with its error and retry time', () => {
  const line = timeline([
    event(0, 'STARTED'),
    event(0, 'STEP_STARTED', { step: 'a', attempt: 1 }),
    event(10, 'STEP_FAILED', { step: 'a', attempt: 1, detail: 'boom', retryAt: at(50) }),
    event(50, 'STEP_STARTED', { step: 'a', attempt: 2 }),
    event(70, 'STEP_SUCCEEDED', { step: 'a', attempt: 2 }),
  ]);
  assert.equal(line.rows.length, 1);
  const [first, second] = line.rows[0].attempts;
  assert.deepEqual([first.outcome, first.error, first.endedAt - first.startedAt, first.retryAt - line.start], ['failed', 'boom', 10, 50]);
  assert.deepEqual([second.outcome, second.endedAt - second.startedAt], ['succeeded', 20]);
  assert.equal(line.end - line.start, 70);
});

test('compensations are rows of their own, in the order they ran', () => {
  const line = timeline([
    event(0, 'STEP_STARTED', { step: 'a', attempt: 1 }), event(1, 'STEP_SUCCEEDED', { step: 'a', attempt: 1 }),
    event(1, 'STEP_STARTED', { step: 'b', attempt: 1 }), event(2, 'STEP_SUCCEEDED', { step: 'b', attempt: 1 }),
    event(2, 'STEP_STARTED', { step: 'c', attempt: 1 }), event(3, 'STEP_FAILED', { step: 'c', attempt: 1, detail: 'no' }),
    event(3, 'COMPENSATION_STARTED', { detail: 'STEP_FAILED' }),
    event(3, 'STEP_COMPENSATION_STARTED', { step: 'b', attempt: 1 }), event(4, 'STEP_COMPENSATED', { step: 'b', attempt: 1 }),
    event(4, 'STEP_COMPENSATION_STARTED', { step: 'a', attempt: 1 }), event(5, 'STEP_COMPENSATION_FAILED', { step: 'a', attempt: 1, detail: '503' }),
    event(5, 'FINISHED', { state: 'FAILED', detail: 'compensation of a failed' }),
  ]);
  assert.deepEqual(line.rows.map((row) => `${row.phase}:${row.step}`),
    ['forward:a', 'forward:b', 'forward:c', 'compensation:b', 'compensation:a']);
  assert.deepEqual(line.rows.map((row) => row.attempts[0].outcome), ['succeeded', 'succeeded', 'failed', 'compensated', 'failed']);
  assert.equal(line.rows[4].attempts[0].error, '503');
  assert.deepEqual(line.marks.map((mark) => mark.type), ['COMPENSATION_STARTED', 'FINISHED']);
});

test('an attempt in flight when its replica stopped is interrupted at RESUMED, and the rerun is a new attempt', () => {
  const line = timeline([
    event(0, 'STEP_STARTED', { step: 'a', attempt: 1 }),
    event(900, 'RESUMED', { detail: 'adopted by r2 from r1' }),
    event(900, 'STEP_STARTED', { step: 'a', attempt: 2 }),
  ]);
  const [first, second] = line.rows[0].attempts;
  assert.deepEqual([first.outcome, first.endedAt - first.startedAt], ['interrupted', 900]);
  assert.deepEqual([second.outcome, second.endedAt], ['running', null]);
});

test('an operator action is a mark naming who and why', () => {
  const line = timeline([event(0, 'ADMIN_ACTION', { actor: 'admin:alice', detail: 'resolve: refunded by hand' })]);
  assert.equal(line.marks[0].text, 'admin:alice: resolve: refunded by hand');
});

test('durations read as ms, s, min', () => {
  assert.deepEqual([duration(850), duration(2400), duration(185_000)], ['850 ms', '2.4 s', '3 min 5 s']);
});
