import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatRfc3339InZone, isKnownTimeZone, loadLocation, ZoneClock } from './time-zone.js';

const at = (text: string): number => Date.parse(text);

describe('ZoneClock', () => {
  it('reads wall-clock fields and the offset of an instant', () => {
    const wall = new ZoneClock('America/New_York').wallTime(at('2025-01-06T14:05:09Z'));
    assert.deepEqual(wall, { year: 2025, month: 1, day: 6, hour: 9, minute: 5, second: 9, weekday: 1, offsetMs: -5 * 3_600_000 });
    assert.equal(new ZoneClock('Europe/Berlin').wallTime(at('2025-07-01T00:00:00Z')).offsetMs, 2 * 3_600_000);
    assert.equal(new ZoneClock('Asia/Kolkata').wallTime(at('2025-07-01T00:00:00Z')).minute, 30);
    assert.equal(new ZoneClock('UTC').wallTime(at('2024-02-29T23:59:59.999Z')).second, 59, 'milliseconds are dropped, not rounded');
  });

  it('startOfDay: midnight, or the first instant after a DST gap that swallows it', () => {
    assert.equal(new ZoneClock('America/New_York').startOfDay(2024, 3, 10), at('2024-03-10T05:00:00Z'));
    assert.equal(new ZoneClock('America/Sao_Paulo').startOfDay(2018, 11, 4), at('2018-11-04T03:00:00Z'));
    // Havana falls back from 01:00 to 00:00 on 2024-11-03: midnight happens twice, the first counts.
    assert.equal(new ZoneClock('America/Havana').startOfDay(2024, 11, 3), at('2024-11-03T04:00:00Z'));
    assert.equal(new ZoneClock('UTC').startOfDay(2024, 13, 1), at('2025-01-01T00:00:00Z'), 'fields roll over');
  });

  it('advanceTo stops at a DST transition on the way', () => {
    const newYork = new ZoneClock('America/New_York');
    // 00:30 EST -> target 4.5 h later; the clocks jump at 07:00Z (02:00 EST -> 03:00 EDT).
    assert.equal(newYork.advanceTo(at('2024-03-10T05:30:00Z'), at('2024-03-10T10:00:00Z')), at('2024-03-10T07:00:00Z'));
    assert.equal(newYork.advanceTo(at('2024-03-10T08:00:00Z'), at('2024-03-10T10:00:00Z')), at('2024-03-10T10:00:00Z'));
  });
});

describe('time zone names', () => {
  it('isKnownTimeZone and loadLocation follow Go: "" is UTC, Local is ours', () => {
    assert.equal(isKnownTimeZone('Europe/Berlin'), true);
    assert.equal(isKnownTimeZone('Mars/Olympus'), false);
    assert.equal(loadLocation('', 'Asia/Tokyo'), 'UTC');
    assert.equal(loadLocation('Local', 'Asia/Tokyo'), 'Asia/Tokyo');
    assert.equal(loadLocation('America/New_York', 'Asia/Tokyo'), 'America/New_York');
    assert.equal(loadLocation('Mars/Olympus', 'Asia/Tokyo'), undefined);
  });
});

describe('formatRfc3339InZone', () => {
  it("prints Go's RFC 3339: the zone's offset, Z for a zero offset", () => {
    const instant = at('2025-01-01T14:00:00Z');
    assert.equal(formatRfc3339InZone(instant, 'UTC'), '2025-01-01T14:00:00Z');
    assert.equal(formatRfc3339InZone(instant, 'America/New_York'), '2025-01-01T09:00:00-05:00');
    assert.equal(formatRfc3339InZone(instant, 'Europe/London'), '2025-01-01T14:00:00Z');
    assert.equal(formatRfc3339InZone(at('2025-07-01T14:00:00Z'), 'Europe/London'), '2025-07-01T15:00:00+01:00');
    assert.equal(formatRfc3339InZone(instant, 'Asia/Kolkata'), '2025-01-01T19:30:00+05:30');
    assert.equal(formatRfc3339InZone(at('2025-01-01T14:00:00Z'), 'America/St_Johns'), '2025-01-01T10:30:00-03:30');
  });
});

describe('isKnownTimeZone (Go time.LoadLocation on Linux)', () => {
  it('knows the zones and aliases of the tz database', () => {
    for (const name of ['UTC', 'Etc/UTC', 'GMT', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'US/Eastern', 'Etc/GMT+5']) {
      assert.equal(isKnownTimeZone(name), true, name);
    }
  });

  it('refuses unknown names, Local, and a known name spelled in another case (Go reads a file of that name)', () => {
    for (const name of ['Mars/Olympus', 'Local', '', '+01:00', 'america/new_york', 'utc']) {
      assert.equal(isKnownTimeZone(name), false, name);
    }
  });
});
