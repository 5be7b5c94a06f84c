import { createCardRenderer } from './cards.js';

/** The renderer compiles each template once and reuses it: one expansion must never leak into the next. */
describe('createCardRenderer reuses compiled templates', () => {
  const modes = [{ title: 'No Tags', value: 'Resources only.' }];
  const row = (n: number) => ({ id: `t/sub-${n}`, title: `Sub ${n}`, details: `d${n}`, stats: `s${n}`, pending: n % 2 ? `pending ${n}` : '', hasPending: n % 2 === 1, canChange: n < 2 });
  const data = (rows: number[], page: number, hasNext: boolean) => ({
    title: 'Azure subscriptions', summary: `page ${page + 1}`, modes, rows: rows.map(row),
    hasPrevious: page > 0, hasNext, page, previousPage: page - 1, nextPage: page + 1,
  });
  const text = (card: unknown) => JSON.stringify(card);

  test('a second expansion with other data shows only that data ($data rows, $when, values)', () => {
    const cards = createCardRenderer();
    const first = cards.expand('subscriptions', data([0, 1, 2], 0, true));
    const second = cards.expand('subscriptions', data([7], 3, false));
    expect(text(first)).toContain('Sub 2');
    expect(text(first)).toContain('Next page');
    expect(text(second)).toContain('Sub 7');
    expect(text(second)).toContain('pending 7');
    for (const stale of ['Sub 0', 'Sub 1', 'Sub 2', 'Next page', 'Change sync mode']) expect(text(second)).not.toContain(stale);
    expect(text(cards.expand('subscriptions', data([0, 1, 2], 0, true)))).toEqual(text(first));
  });

  test('changing an expanded card does not change the template', () => {
    const cards = createCardRenderer();
    const input = data([0, 1], 0, true);
    const card = cards.expand('subscriptions', input) as { body: { text?: string; items?: { text?: string }[] }[] };
    const pristine = text(card);
    card.body[0].text = 'changed by a caller';
    card.body.push({ text: 'added by a caller' });
    card.body[2].items![0].text = 'changed too';
    expect(text(cards.expand('subscriptions', input))).toEqual(pristine);
  });

  test('an unknown card name still fails with its name', () => {
    expect(() => createCardRenderer().expand('no-such-card', {})).toThrow('no card template named "no-such-card"');
  });
});
