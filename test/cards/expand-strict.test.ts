import { expandStrict } from './expand-strict.js';

const card = (body: object[]) => ({ type: 'AdaptiveCard', version: '1.5', body });

test('a clean expansion, with a $when that is legitimately false, has no problems', () => {
  const t = card([{ type: 'TextBlock', text: 'Hi ${name}' }, { type: 'TextBlock', $when: '${count > 0}', text: '${count}' }]);
  const { card: out, problems } = expandStrict(t, { name: 'Ada', count: 0 });
  expect(problems).toEqual([]);
  expect(out.body).toEqual([{ type: 'TextBlock', text: 'Hi Ada' }]);
});

test('a field missing from the data is reported as unresolved', () => {
  expect(expandStrict(card([{ type: 'TextBlock', text: 'Hi ${name} of ${org.name}' }]), {}).problems).toEqual(['unresolved ${name}', 'unresolved ${org.name}']);
});

test('a $when on a missing field, or one that is not a boolean, is reported; the warning is not double-counted', () => {
  const t = card([{ type: 'TextBlock', $when: '${shown}', text: 'a' }, { type: 'TextBlock', $when: '${label}', text: 'b' }]);
  const { problems } = expandStrict(t, { label: 'yes' });
  expect(problems).toEqual(['$when shown is undefined, not a boolean', '$when label is "yes", not a boolean']);
});

test('a $when that is not an expression is reported from the library warning', () => {
  expect(expandStrict(card([{ type: 'TextBlock', $when: 'true', text: 'a' }]), {}).problems).toEqual([
    'WARN: true is not an Adaptive Expression. The $when condition has been set to false by default.',
  ]);
});

test('console output during expansion is captured as a problem, and the console is restored', () => {
  const original = console.warn;
  const chatty = { get type() { console.warn('noisy getter'); return 'AdaptiveCard'; }, version: '1.5' };
  expect(expandStrict(chatty, {}).problems).toEqual(['console.warn: noisy getter']);
  expect(console.warn).toBe(original);
});
