import { WrittenKeys } from './written-keys.js';

const key = (i: number) => `app-${i % 97}/00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('WrittenKeys (the fixed-size filter of logins written this run)', () => {
  test('never says no to a key it was given, and rarely yes to one it was not', () => {
    const keys = new WrittenKeys(1 << 21);
    for (let i = 0; i < 100_000; i++) keys.add(key(i));
    let missed = 0;
    for (let i = 0; i < 100_000; i++) if (!keys.mayHold(key(i))) missed++;
    expect(missed).toBe(0);
    let falsePositives = 0;
    for (let i = 100_000; i < 200_000; i++) if (keys.mayHold(key(i))) falsePositives++;
    // 2^21 bits, 4 probes, 100k keys: ~0.2% expected; a broken hash (one probe, or correlated probes) is far above 1%.
    expect(falsePositives).toBeLessThan(1000);
  });

  test('an empty filter holds nothing; sizes are powers of two', () => {
    expect(new WrittenKeys(1 << 10).mayHold(key(1))).toBe(false);
    expect(() => new WrittenKeys(3000)).toThrow(RangeError);
    expect(() => new WrittenKeys(1 << 8)).toThrow(RangeError);
  });
});
