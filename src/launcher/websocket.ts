import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A minimal RFC 6455 client for plain `ws://` on loopback: enough to read the Agents Playground's stream of bot
 * replies. Node 20 has no global WebSocket without a flag, and this avoids a dependency for ~80 lines.
 * Text messages only; no extensions (none are negotiated, so frames arrive uncompressed).
 */
export interface TextWebSocket {
  /** Called for every complete text message, in order. */
  onMessage(listener: (text: string) => void): void;
  /** Called once when the connection ends, for whatever reason. */
  onClose(listener: () => void): void;
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function openWebSocket(url: string, timeoutMs = 5000): Promise<TextWebSocket> {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request(url.replace(/^ws:/, 'http:'), {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13' },
      timeout: timeoutMs,
    });
    req.on('timeout', () => req.destroy(new Error(`WebSocket handshake with ${url} timed out`)));
    req.on('error', reject);
    req.on('response', (res) => reject(new Error(`WebSocket handshake with ${url} failed: HTTP ${res.statusCode}`)));
    req.on('upgrade', (res, socket, head) => {
      const expected = createHash('sha1').update(key + GUID).digest('base64');
      if (res.headers['sec-websocket-accept'] !== expected) {
        socket.destroy();
        reject(new Error(`WebSocket handshake with ${url}: bad Sec-WebSocket-Accept`));
        return;
      }
      resolve(wrap(socket, head));
    });
    req.end();
  });
}

function wrap(socket: Socket, head: Buffer): TextWebSocket {
  const messageListeners: ((text: string) => void)[] = [];
  const closeListeners: (() => void)[] = [];
  let buffered = head;
  let fragments: Buffer[] = [];
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let frame = readFrame(buffered); frame; frame = readFrame(buffered)) {
      buffered = buffered.subarray(frame.size);
      if (frame.opcode === 0x9) socket.write(encodeFrame(0xa, frame.payload));
      else if (frame.opcode === 0x8) socket.end(encodeFrame(0x8, Buffer.alloc(0)));
      else if (frame.opcode === 0x1 || frame.opcode === 0x0) {
        fragments.push(frame.payload);
        if (frame.fin) {
          const text = Buffer.concat(fragments).toString('utf8');
          fragments = [];
          for (const l of messageListeners) l(text);
        }
      }
    }
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => closeListeners.forEach((l) => l()));
  return {
    onMessage: (l) => void messageListeners.push(l),
    onClose: (l) => void closeListeners.push(l),
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.end(encodeFrame(0x8, Buffer.alloc(0)));
        setTimeout(() => socket.destroy(), 1000).unref();
      }),
  };
}

function readFrame(buf: Buffer): { fin: boolean; opcode: number; payload: Buffer; size: number } | undefined {
  if (buf.length < 2) return undefined;
  const masked = (buf[1] & 0x80) !== 0;
  let length = buf[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return undefined;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return undefined;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (buf.length < offset + length) return undefined;
  const payload = Buffer.from(buf.subarray(offset, offset + length));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= buf[maskOffset + (i % 4)];
  return { fin: (buf[0] & 0x80) !== 0, opcode: buf[0] & 0x0f, payload, size: offset + length };
}

/** Client frames must be masked (RFC 6455 §5.3). Only control frames are sent, so payloads stay under 126 bytes. */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}
