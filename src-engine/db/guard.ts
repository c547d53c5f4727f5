/** The line server's guard: PostgreSQL itself checks each delivered record's station signature (PL/Python) and derives the rows from it, so a station's credentials can add signed records and nothing else. */
import type { TrustedKey } from '../report/signature'
import { parsePublicKeyExport } from '../report/station-keys'
import { pythonBody } from './guard-python'
import { migrate } from './schema'
import type { Sql } from './sql'

/** What follows the code in a reason the guard refuses with, on the server and in the station's outbox. */
export const GUARD_REFUSAL = "refused by the line server's signature guard"

/** The role stations connect as when the administrator gives no other name. */
export const DEFAULT_STATION_ROLE = 'k230_station'

/** Thrown when the guard cannot be installed as asked (a role name that is not a plain identifier). */
export class GuardError extends Error {
  override name = 'GuardError'
  constructor(
    readonly why: 'bad-role',
    readonly params: Record<string, string>,
  ) {
    super(`'${params.role}' is not a role name (letters, digits and _, starting with a letter or _, at most 63)`)
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`

/** JSON number of a jsonb value as JavaScript reads it (NULL when JavaScript gets no finite number); exact in SQL for ordinary magnitudes. */
const JS_DOUBLE = (v: string) => `(CASE WHEN jsonb_typeof(${v}) = 'number' THEN k230_js_double((${v})::numeric) END)`

/** The SQL that installs or updates the guard in `schema` for `role`; idempotent. Pure; trusts `role` and `schema` to be checked identifiers. */
export function guardSql(role: string, schema: string): string {
  const path = `SET search_path = ${ident(schema)}, pg_temp`
  const steps = `CASE WHEN jsonb_typeof(r->'steps') = 'array' THEN r->'steps' ELSE '[]'::jsonb END`
  const attempts = `CASE WHEN jsonb_typeof(s->'attempts') = 'array' THEN s->'attempts' ELSE '[]'::jsonb END`
  return `
CREATE EXTENSION IF NOT EXISTS plpython3u;
CREATE TABLE IF NOT EXISTS trusted_key (key_id text PRIMARY KEY, station text NOT NULL, public_key_pem text NOT NULL, added_at timestamptz NOT NULL DEFAULT now());

CREATE OR REPLACE FUNCTION k230_record_refusal(record_text text) RETURNS text LANGUAGE plpython3u STABLE ${path} AS $py$${pythonBody("lib['refusal'](record_text, plpy, SD)")}$py$;
CREATE OR REPLACE FUNCTION k230_canonical_json(value_text text) RETURNS text LANGUAGE plpython3u IMMUTABLE STRICT AS $py$${pythonBody("lib['canonical_text'](value_text)")}$py$;
CREATE OR REPLACE FUNCTION k230_record_digest(record_text text) RETURNS text LANGUAGE plpython3u IMMUTABLE STRICT AS $py$${pythonBody("lib['digest_text'](record_text)")}$py$;
CREATE OR REPLACE FUNCTION k230_js_number_text(number_text text) RETURNS text LANGUAGE plpython3u IMMUTABLE STRICT AS $py$${pythonBody("lib['js_number'](float(number_text))")}$py$;
CREATE OR REPLACE FUNCTION k230_js_double_text(number_text text) RETURNS double precision LANGUAGE plpython3u IMMUTABLE STRICT AS $py$${pythonBody("lib['js_double'](number_text)")}$py$;

CREATE OR REPLACE FUNCTION k230_js_double(n numeric) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE WHEN n = 0 THEN 0::double precision WHEN abs(n) < 1e300 AND abs(n) > 1e-300 THEN n::double precision ELSE k230_js_double_text(n::text) END $$;
CREATE OR REPLACE FUNCTION k230_js_string(v jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE jsonb_typeof(v) WHEN 'null' THEN NULL WHEN 'string' THEN v #>> '{}' WHEN 'boolean' THEN v #>> '{}'
    WHEN 'number' THEN CASE WHEN v::numeric = trunc(v::numeric) AND abs(v::numeric) < 9007199254740992 THEN trunc(v::numeric)::text ELSE k230_js_number_text(v::numeric::text) END
    WHEN 'array' THEN NULL ELSE '[object Object]' END $$;

CREATE OR REPLACE FUNCTION k230_ingest(record_text text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER ${path} AS $$
DECLARE
  why text;
  stage text := 'not-json';
  r jsonb;
  rid text;
  st text;
  sim boolean;
  purp text;
  started timestamptz;
BEGIN
  why := k230_record_refusal(record_text);
  IF why IS NULL THEN
    BEGIN
      r := record_text::jsonb;
      stage := 'schema';
      rid := r->>'id';
      started := (r->>'startedAt')::timestamptz;
      sim := coalesce(r->'simulated' = 'true'::jsonb, false) OR coalesce(jsonb_typeof(r->'station'->'port') = 'string' AND starts_with(r->'station'->>'port', 'virtual:'), false);
      purp := coalesce(r->>'purpose', 'production');
      INSERT INTO run (id, serial, imei, iccid, station, started_at, ended_at, verdict, status, file, digest, simulated, purpose, record)
      VALUES (rid, coalesce(r->'unit'->>'serial', ''), r->'unit'->>'imei', r->'unit'->>'iccid', r->'station'->>'id', started, (r->>'endedAt')::timestamptz,
        r->>'verdict', r->>'status', NULL, r->>'digest', sim, purp, r)
      ON CONFLICT (id) DO NOTHING RETURNING id INTO rid;
      IF rid IS NULL THEN RETURN 'already-there'; END IF;
      IF coalesce(r->'unit'->>'serial', '') <> '' THEN
        INSERT INTO unit AS u (serial, imei, iccid, first_seen) VALUES (r->'unit'->>'serial', r->'unit'->>'imei', r->'unit'->>'iccid', started)
        ON CONFLICT (serial) DO UPDATE SET imei = coalesce(EXCLUDED.imei, u.imei), iccid = coalesce(EXCLUDED.iccid, u.iccid), first_seen = least(u.first_seen, EXCLUDED.first_seen);
      END IF;
      INSERT INTO step (run_id, ordinal, step_id, title, verdict, cause, duration_ms, started_at, simulated, purpose, station)
      SELECT rid, (o - 1)::int, s->>'id', coalesce(s->>'title', s->>'id'), s->>'verdict',
        CASE WHEN s->>'verdict' IN ('fail', 'error', 'aborted') THEN coalesce(s->'attempts'->-1->'remediation'->>'code', s->'attempts'->-1->'error'->>'code', (s->>'id') || ':' || (s->>'verdict')) END,
        (SELECT 0 + coalesce(sum(coalesce(${JS_DOUBLE("a->'durationMs'")}, 0) ORDER BY ao), 0) FROM jsonb_array_elements(${attempts}) WITH ORDINALITY AS y(a, ao)),
        started, sim, purp, coalesce(r->'station'->>'id', '?')
      FROM jsonb_array_elements(${steps}) WITH ORDINALITY AS x(s, o);
      INSERT INTO measurement (run_id, step_ordinal, ordinal, name, value, num, unit, outcome)
      SELECT rid, (o - 1)::int, (mo - 1)::int, m->>'name', k230_js_string(m->'value'), ${JS_DOUBLE("m->'value'")}, m->>'unit', m->>'outcome'
      FROM jsonb_array_elements(${steps}) WITH ORDINALITY AS x(s, o),
        jsonb_array_elements(CASE WHEN jsonb_typeof(s->'attempts'->-1->'measurements') = 'array' THEN s->'attempts'->-1->'measurements' ELSE '[]'::jsonb END) WITH ORDINALITY AS y(m, mo);
      RETURN 'stored';
    EXCEPTION WHEN data_exception OR integrity_constraint_violation THEN
      why := stage;
    END;
  END IF;
  BEGIN
    r := record_text::jsonb;
    rid := CASE WHEN jsonb_typeof(r->'id') = 'string' THEN r->>'id' END;
    st := CASE WHEN jsonb_typeof(r->'station'->'id') = 'string' THEN r->'station'->>'id' END;
  EXCEPTION WHEN data_exception THEN
    rid := NULL;
  END;
  INSERT INTO refusal (run_id, station, reason) VALUES (coalesce(rid, '(no id)'), st, why || ${literal(`: ${GUARD_REFUSAL}`)}) ON CONFLICT DO NOTHING;
  RETURN 'refused:' || why;
END $$;

CREATE OR REPLACE FUNCTION k230_refuse(refused_run text, refused_station text, refused_reason text) RETURNS void LANGUAGE sql SECURITY DEFINER ${path} AS $$
  INSERT INTO refusal (run_id, station, reason) VALUES (left(refused_run, 200), left(refused_station, 200), left(refused_reason, 2000)) ON CONFLICT DO NOTHING $$;

ALTER FUNCTION k230_tx_commit() SECURITY DEFINER;
ALTER FUNCTION k230_tx_commit() ${path};

DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(role)}) THEN CREATE ROLE ${ident(role)} NOLOGIN; END IF;
END $$;
REVOKE ALL ON FUNCTION k230_record_refusal(text), k230_canonical_json(text), k230_record_digest(text), k230_js_number_text(text), k230_js_double_text(text),
  k230_js_double(numeric), k230_js_string(jsonb), k230_ingest(text), k230_refuse(text, text, text), k230_tx_commit() FROM PUBLIC;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA ${ident(schema)} FROM PUBLIC, ${ident(role)};
GRANT USAGE ON SCHEMA ${ident(schema)} TO ${ident(role)};
GRANT SELECT ON schema_version TO ${ident(role)};
GRANT EXECUTE ON FUNCTION k230_ingest(text), k230_refuse(text, text, text) TO ${ident(role)};
`
}

/** Installs or updates the guard (migrating the schema first); run as the line administrator (a superuser: plpython3u is untrusted). Trusts `sql` to be that connection; checks `role`. */
export async function installGuard(sql: Sql, role: string = DEFAULT_STATION_ROLE): Promise<{ role: string; schema: string; migrated: number[] }> {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(role)) throw new GuardError('bad-role', { role })
  const migrated = await migrate(sql)
  const { rows } = await sql.query<{ schema: string }>('SELECT current_schema() AS schema')
  const schema = rows[0].schema
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(230017)')
    await tx.exec(guardSql(role, schema))
  })
  return { role, schema, migrated }
}

/** Whether the server this connection reaches has the guard (then records go through `k230_ingest`). Trusts the server's catalogue. */
export async function guardInstalled(sql: Sql): Promise<boolean> {
  const { rows } = await sql.query<{ guarded: boolean }>("SELECT to_regprocedure('k230_ingest(text)') IS NOT NULL AS guarded")
  return rows[0]?.guarded === true
}

/** A station key the guard trusts, as `line-server keys` lists it. */
export interface ServerKey extends TrustedKey {
  addedAt: string
}

/** Adds (or renames the station of) an exported station public key in the guard's `trusted_key`; the export is checked as `keys import` checks it. Returns the key and whether it was new. */
export async function trustServerKey(sql: Sql, exported: string): Promise<{ key: TrustedKey; added: boolean }> {
  const key = parsePublicKeyExport(exported)
  const { rows } = await sql.query<{ added: boolean }>(
    `INSERT INTO trusted_key (key_id, station, public_key_pem) VALUES ($1, $2, $3)
     ON CONFLICT (key_id) DO UPDATE SET station = EXCLUDED.station, public_key_pem = EXCLUDED.public_key_pem RETURNING (xmax = 0) AS added`,
    [key.keyId, key.station, key.publicKeyPem],
  )
  return { key, added: rows[0]?.added === true }
}

/** The keys the guard trusts, by station then key id. */
export async function serverKeys(sql: Sql): Promise<ServerKey[]> {
  const { rows } = await sql.query<{ key_id: string; station: string; public_key_pem: string; added_at: Date }>('SELECT key_id, station, public_key_pem, added_at FROM trusted_key ORDER BY station, key_id')
  return rows.map((r) => ({ keyId: r.key_id, station: r.station, publicKeyPem: r.public_key_pem, addedAt: new Date(r.added_at).toISOString() }))
}
