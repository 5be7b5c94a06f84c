/**
 * Plain, accessible HTML for the sign-in, consent and error pages. Element ids are stable on purpose:
 * browser tests drive them (#account-N, #login, #signin-submit, #accept, #cancel, #consent-org, #return).
 */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
fieldset{border:1px solid #ccc;padding:.5rem 1rem}label{display:block;margin:.4rem 0}
button{padding:.5rem 1.2rem;margin:.5rem .5rem 0 0}[role=alert]{color:#a4262c}.hint{color:#555;font-size:.9rem}</style>
</head><body><main>${body}</main></body></html>`;
}

export interface AccountChoice {
  /** `${tenantId}:${userId}` */
  value: string;
  upn: string;
  displayName: string;
  tenantName: string;
  admin: boolean;
}

export function signInPage(opts: { action: string; flowId: string; appName: string; accounts: AccountChoice[]; preselect?: string; error?: string; adminOnly: boolean }): string {
  const preselected = opts.accounts.find((a) => a.upn.toLowerCase() === opts.preselect?.toLowerCase()) ?? opts.accounts[0];
  const rows = opts.accounts
    .map((a, i) => {
      const checked = a === preselected ? ' checked' : '';
      const role = a.admin ? ' · Global Administrator · MFA' : '';
      return `<label for="account-${i}"><input type="radio" id="account-${i}" name="account" value="${escapeHtml(a.value)}" data-upn="${escapeHtml(a.upn)}"${checked}> ${escapeHtml(a.displayName)} &lt;${escapeHtml(a.upn)}&gt; <span class="hint">(${escapeHtml(a.tenantName)}${role})</span></label>`;
    })
    .join('\n');
  return layout(
    'Sign in to your account',
    `<h1 id="title">Sign in</h1>
<p>to continue to <strong id="app-name">${escapeHtml(opts.appName)}</strong>${opts.adminOnly ? ' (an administrator account is required)' : ''}</p>
${opts.error ? `<p id="error" role="alert">${escapeHtml(opts.error)}</p>` : ''}
<form id="signin-form" method="post" action="${escapeHtml(opts.action)}">
<input type="hidden" name="flow" value="${escapeHtml(opts.flowId)}">
<fieldset><legend>Pick an account</legend>
${rows}
</fieldset>
<p><label for="login">Or type a user principal name</label><input type="email" id="login" name="login" autocomplete="username"></p>
<button type="submit" id="signin-submit">Sign in</button>
</form>`,
  );
}

export interface PermissionLine {
  scope: string;
  kind: 'delegated' | 'application';
}

export function consentPage(opts: { action: string; flowId: string; appName: string; publisher: string; userUpn: string; tenantName: string; permissions: PermissionLine[]; offerOrgConsent: boolean; adminConsent: boolean }): string {
  const items = opts.permissions
    .map((p) => `<li data-scope="${escapeHtml(p.scope)}">${escapeHtml(p.scope)} <span class="hint">(${p.kind === 'application' ? 'application permission' : 'delegated permission'})</span></li>`)
    .join('\n');
  const org = opts.offerOrgConsent
    ? `<p><label for="consent-org"><input type="checkbox" id="consent-org" name="consent_org" value="true"> Consent on behalf of your organization</label></p>`
    : '';
  return layout(
    'Permissions requested',
    `<h1 id="title">Permissions requested</h1>
<p><strong id="app-name">${escapeHtml(opts.appName)}</strong> <span class="hint">${escapeHtml(opts.publisher)}</span></p>
<p>Signed in as <span id="signed-in-as">${escapeHtml(opts.userUpn)}</span> (${escapeHtml(opts.tenantName)}).
${opts.adminConsent ? 'Accepting grants these permissions for all users in your organization.' : 'This app would like to:'}</p>
<ul id="permissions">
${items}
</ul>
<form id="consent-form" method="post" action="${escapeHtml(opts.action)}">
<input type="hidden" name="flow" value="${escapeHtml(opts.flowId)}">
${org}
<button type="submit" id="accept" name="decision" value="accept">Accept</button>
<button type="submit" id="cancel" name="decision" value="cancel">Cancel</button>
</form>`,
  );
}

export function errorPage(opts: { code: number; title: string; message: string; returnUrl?: string }): string {
  return layout(
    opts.title,
    `<h1 id="error-title">${escapeHtml(opts.title)}</h1>
<p id="error-code" role="alert">AADSTS${opts.code}: ${escapeHtml(opts.message)}</p>
${opts.returnUrl ? `<p><a id="return" href="${escapeHtml(opts.returnUrl)}">Return to the application</a></p>` : ''}`,
  );
}

/** response_mode=form_post: the browser posts the result to the redirect URI. */
export function formPostPage(action: string, params: Record<string, string>): string {
  const inputs = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return layout(
    'Working...',
    `<form id="form-post" method="post" action="${escapeHtml(action)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form>
<script>document.getElementById('form-post').submit()</script>`,
  );
}
