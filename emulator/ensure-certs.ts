/** Creates the emulator's CA and server certificate if missing and prints the CA path (for NODE_EXTRA_CA_CERTS). */
import { ensureCertificates } from './certs.js';

const dir = process.argv[2];
const certs = await ensureCertificates(dir);
process.stdout.write(`${certs.caPath}\n`);
