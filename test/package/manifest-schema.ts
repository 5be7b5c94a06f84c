import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

/**
 * Validates a Teams manifest against the official schema of the version its `$schema` URL names, as shipped in
 * @microsoft/app-manifest (the Teams Toolkit's copy of developer.microsoft.com/json-schemas/teams/…).
 * Returns readable errors; empty means valid.
 */
export function manifestSchemaErrors(manifest: Record<string, unknown>): string[] {
  const version = /\/teams\/(v[0-9.]+|vDevPreview)\/MicrosoftTeams\.schema\.json$/.exec(String(manifest.$schema))?.[1];
  if (!version) return [`$schema ${String(manifest.$schema)} is not a Teams manifest schema URL`];
  const schemasDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest')), 'json-schemas', 'teams');
  const schema = JSON.parse(readFileSync(path.join(schemasDir, version, 'MicrosoftTeams.schema.json'), 'utf8')) as object;
  // strict: false because the official schema uses keywords ajv's strict mode flags (e.g. description beside $ref).
  // Both are CommonJS: under NodeNext the default import is module.exports, whose .default is the export.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
