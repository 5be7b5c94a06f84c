/** Messages between sso.ts and the child process that runs SSO access (sso-child.ts). */

/** argv[2] of the child: where the emulator is and the app registration to connect. */
export interface SsoChildStart {
  urls: { authority: string; graph: string; arm: string; partnerCenter: string };
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface NewSignIn {
  appId: string;
  userId: string;
  createdDateTime: string;
}

export type SsoChildRequest = { kind: 'run' } | { kind: 'check'; signIns: NewSignIn[] } | { kind: 'close' };

export type SsoChildReply =
  | { kind: 'ready' }
  /** One saas.discover run: wall time, sign-in pages asked for, sign-ins read, last logins written, records held. */
  | {
      kind: 'ran';
      ms: number;
      pages: number;
      read: number;
      stored: number;
      detail: string;
      records: number;
      /** The watermark before the run, the `createdDateTime ge` bound it read from, and the watermark after. */
      previous?: string;
      since?: string;
      watermark?: string;
    }
  | { kind: 'checked'; missing: number }
  | { kind: 'closed' }
  | { kind: 'error'; message: string };
