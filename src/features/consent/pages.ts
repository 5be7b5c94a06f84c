/** The pages /auth/callback answers with: plain HTML, no script, no links taken from the request. */

export interface CallbackPage {
  status: number;
  title: string;
  /** Paragraphs, shown in order (plain text; escaped). */
  lines: string[];
  /** Per-subscription results, when there are any. */
  rows?: { name: string; outcome: string }[];
}

/** Headers for every callback page: nothing cached, no referrer (the URL held a code), no framing, no script. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

export function renderPage(page: CallbackPage): string {
  const rows = page.rows?.length
    ? `<table>${page.rows.map((r) => `<tr><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.outcome)}</td></tr>`).join('')}</table>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} - Tenant Steward</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}td{padding:.2rem .8rem .2rem 0}</style>
</head><body>
<h1 id="title">${escapeHtml(page.title)}</h1>
${page.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
${rows}
<p id="close">You can close this window and return to Microsoft Teams.</p>
</body></html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
