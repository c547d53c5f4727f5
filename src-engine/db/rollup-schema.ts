/** Schema version 3: each step carries its run's start time, simulated flag and purpose; hourly and daily roll-ups and per-unit spans kept by statement triggers in the writing transaction, so an insert that adds no row (a re-delivered run id) changes no figure; a delete recomputes what it touched; the migration fills them from the rows already there. */

const HOUR = (ts: string) => `k230_hour(${ts})`

/** Schema 3's shift of a start time (UTC: A 06–14, B 14–22, C 22–06), kept as that migration wrote it. */
const SHIFT_OF_V3 = (ts: string) =>
  `CASE WHEN extract(hour FROM ${ts} AT TIME ZONE 'UTC') >= 6 AND extract(hour FROM ${ts} AT TIME ZONE 'UTC') < 14 THEN 'A' WHEN extract(hour FROM ${ts} AT TIME ZONE 'UTC') >= 14 AND extract(hour FROM ${ts} AT TIME ZONE 'UTC') < 22 THEN 'B' ELSE 'C' END`

/** Schema 3's hour label of a start time (UTC), kept as that migration wrote it. */
const HOUR_LABEL_OF_V3 = (ts: string) => `to_char(date_trunc('hour', ${ts} AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24:00')`

/** The shift of a start time in the line's clock (schema 5: `line_clock`'s zone and shift starts). */
export const SHIFT_OF = (ts: string) => `k230_shift(${ts})`

/** The hour label of a start time in the line's time zone, as the dashboard shows it (schema 5). */
export const HOUR_LABEL_OF = (ts: string) => `k230_hour_label(${ts})`

/** The duration bin of a step: natural log in hundredths (bins 1 % wide); -100000 for zero or negative, -2147483648 for no duration. */
export const BIN_OF = (d: string) => `CASE WHEN ${d} IS NULL THEN -2147483648 WHEN ${d} > 0 THEN floor(ln(${d}) * 100)::int ELSE -100000 END`

/** Bin that holds steps without a duration (counted, never ranked). */
export const NO_DURATION_BIN = -2147483648

const UNIT_GROUPS_OF = (shiftOf: (ts: string) => string, hourLabelOf: (ts: string) => string, create: string) => `
${create} k230_unit_group AS
SELECT g.dim, x.scope, g.key, g.unit, g.serial, x.first_at, x.first_v, x.last_at, x.last_v
FROM (
  SELECT dim, key, unit, serial, bool_or(NOT simulated) AS has_real, bool_or(simulated) AS has_sim,
    min(started_at) FILTER (WHERE NOT simulated) AS r_first_at, (array_agg(verdict ORDER BY started_at, id) FILTER (WHERE NOT simulated))[1] AS r_first_v,
    max(started_at) FILTER (WHERE NOT simulated) AS r_last_at, (array_agg(verdict ORDER BY started_at DESC, id DESC) FILTER (WHERE NOT simulated))[1] AS r_last_v,
    min(started_at) AS a_first_at, (array_agg(verdict ORDER BY started_at, id))[1] AS a_first_v,
    max(started_at) AS a_last_at, (array_agg(verdict ORDER BY started_at DESC, id DESC))[1] AS a_last_v
  FROM (
    SELECT 'station'::text AS dim, coalesce(station, '?') AS key, serial AS unit, serial, started_at, id, verdict, simulated FROM run WHERE purpose = 'production'
    UNION ALL SELECT 'shift'::text, ${shiftOf('started_at')}, serial, serial, started_at, id, verdict, simulated FROM run WHERE purpose = 'production'
    UNION ALL SELECT 'hour'::text, ${hourLabelOf('started_at')}, serial, serial, started_at, id, verdict, simulated FROM run WHERE purpose = 'production'
    UNION ALL SELECT 'unit'::text, '', coalesce(nullif(serial, ''), '(no serial) ' || id), serial, started_at, id, verdict, simulated FROM run
  ) u GROUP BY dim, key, unit, serial
) g
CROSS JOIN LATERAL (
  SELECT 'both'::text AS scope, g.r_first_at AS first_at, g.r_first_v AS first_v, g.r_last_at AS last_at, g.r_last_v AS last_v WHERE g.has_real AND NOT g.has_sim
  UNION ALL SELECT 'real', g.r_first_at, g.r_first_v, g.r_last_at, g.r_last_v WHERE g.has_real AND g.has_sim
  UNION ALL SELECT 'all', g.a_first_at, g.a_first_v, g.a_last_at, g.a_last_v WHERE g.has_sim
) x;
`

const UNIT_GROUPS = UNIT_GROUPS_OF(SHIFT_OF_V3, HOUR_LABEL_OF_V3, 'CREATE VIEW')

const TABLES = `
CREATE OR REPLACE FUNCTION k230_hour(ts timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' $$;
CREATE OR REPLACE FUNCTION k230_day(ts timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('day', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' $$;

ALTER TABLE step ADD COLUMN started_at timestamptz, ADD COLUMN simulated boolean, ADD COLUMN purpose text, ADD COLUMN station text;
UPDATE step s SET started_at = r.started_at, simulated = r.simulated, purpose = r.purpose, station = coalesce(r.station, '?') FROM run r WHERE r.id = s.run_id;
ALTER TABLE step ALTER COLUMN started_at SET NOT NULL, ALTER COLUMN simulated SET NOT NULL, ALTER COLUMN purpose SET NOT NULL, ALTER COLUMN station SET NOT NULL;
CREATE INDEX step_started ON step (started_at);
CREATE INDEX run_serial_exact ON run (serial, started_at);

CREATE TABLE run_hour (hour timestamptz NOT NULL, station text NOT NULL, simulated boolean NOT NULL, purpose text NOT NULL,
  runs int NOT NULL, passed int NOT NULL, first_at timestamptz NOT NULL, last_at timestamptz NOT NULL, PRIMARY KEY (hour, station, simulated, purpose));
CREATE TABLE step_hour (grain text NOT NULL, hour timestamptz NOT NULL, step_id text NOT NULL, simulated boolean NOT NULL, purpose text NOT NULL, station text NOT NULL,
  passed int NOT NULL, failed int NOT NULL, errors int NOT NULL, skipped int NOT NULL, first_at timestamptz NOT NULL, tie text NOT NULL,
  title_at timestamptz NOT NULL, title_id text NOT NULL, title_ord int NOT NULL, title text NOT NULL, PRIMARY KEY (grain, hour, step_id, simulated, purpose, station));
CREATE TABLE fail_hour (grain text NOT NULL, hour timestamptz NOT NULL, step_id text NOT NULL, cause text NOT NULL, simulated boolean NOT NULL, purpose text NOT NULL, station text NOT NULL,
  n int NOT NULL, first_at timestamptz NOT NULL, tie text NOT NULL, PRIMARY KEY (grain, hour, step_id, cause, simulated, purpose, station));
CREATE TABLE duration_bin (grain text NOT NULL, at timestamptz NOT NULL, step_id text NOT NULL, simulated boolean NOT NULL, bin int NOT NULL,
  n int NOT NULL, lo double precision, hi double precision, min_ord int NOT NULL, PRIMARY KEY (grain, at, step_id, simulated, bin));
CREATE TABLE unit_span (dim text NOT NULL, scope text NOT NULL, key text NOT NULL, unit text NOT NULL, serial text NOT NULL,
  first_at timestamptz NOT NULL, first_v text NOT NULL, last_at timestamptz NOT NULL, last_v text NOT NULL, first_hour timestamptz NOT NULL, last_hour timestamptz NOT NULL,
  PRIMARY KEY (dim, scope, key, unit));
CREATE INDEX unit_span_serial ON unit_span (serial);
CREATE INDEX unit_span_multi_first ON unit_span (dim, first_hour) WHERE first_hour <> last_hour;
CREATE INDEX unit_span_multi_last ON unit_span (dim, last_hour) WHERE first_hour <> last_hour;
CREATE TABLE rollup_tx (txid bigint PRIMARY KEY);
CREATE TABLE rollup_pending_run (run_id text PRIMARY KEY);
CREATE TABLE rollup_pending_step (run_id text NOT NULL, ordinal int NOT NULL, PRIMARY KEY (run_id, ordinal));
CREATE TABLE span_count (dim text NOT NULL, scope text NOT NULL, key text NOT NULL, first_hour timestamptz NOT NULL, last_hour timestamptz NOT NULL, shard int NOT NULL,
  units int NOT NULL, first_pass int NOT NULL, final_pass int NOT NULL, PRIMARY KEY (dim, scope, key, first_hour, last_hour, shard));
`

const STEP_HOUR_SELECT = (grain: 'hour' | 'day', from: string) => `
SELECT '${grain}', k230_${grain}(started_at), step_id, simulated, purpose, station,
  count(*) FILTER (WHERE verdict = 'pass'), count(*) FILTER (WHERE verdict = 'fail'), count(*) FILTER (WHERE verdict IN ('error', 'aborted')),
  count(*) FILTER (WHERE verdict NOT IN ('pass', 'fail', 'error', 'aborted')), min(started_at), min(run_id || ':' || lpad(ordinal::text, 4, '0')),
  (array_agg(started_at ORDER BY started_at, run_id, ordinal))[1], (array_agg(run_id ORDER BY started_at, run_id, ordinal))[1],
  (array_agg(ordinal ORDER BY started_at, run_id, ordinal))[1], (array_agg(coalesce(nullif(title, ''), step_id) ORDER BY started_at, run_id, ordinal))[1]
FROM ${from} GROUP BY 2, 3, 4, 5, 6 ORDER BY 2, 3, 4, 5, 6`

const FAIL_HOUR_SELECT = (grain: 'hour' | 'day', from: string) => `
SELECT '${grain}', k230_${grain}(started_at), step_id, cause, simulated, purpose, station, count(*), min(started_at), min(run_id || ':' || lpad(ordinal::text, 4, '0'))
FROM ${from} WHERE cause IS NOT NULL GROUP BY 2, 3, 4, 5, 6, 7 ORDER BY 2, 3, 4, 5, 6, 7`

const DURATION_SELECT = (grain: 'hour' | 'day', from: string) => `
SELECT '${grain}', k230_${grain}(started_at), step_id, simulated, ${BIN_OF('duration_ms')}, count(*), min(duration_ms), max(duration_ms), min(ordinal)
FROM ${from} WHERE purpose = 'production' AND verdict IN ('pass', 'fail') GROUP BY 2, 3, 4, 5 ORDER BY 2, 3, 4, 5`

const RUN_HOUR_SELECT = (from: string) => `
SELECT ${HOUR('started_at')}, coalesce(station, '?'), simulated, purpose, count(*), count(*) FILTER (WHERE verdict = 'pass'), min(started_at), max(started_at)
FROM ${from} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`

const UNIT_SPAN_INSERT = (where: string) => `
INSERT INTO unit_span (dim, scope, key, unit, serial, first_at, first_v, last_at, last_v, first_hour, last_hour)
SELECT dim, scope, key, unit, serial, first_at, first_v, last_at, last_v, ${HOUR('first_at')}, ${HOUR('last_at')} FROM k230_unit_group WHERE ${where}`

type Grain = 'hour' | 'day'

const STEP_HOUR_UPSERT = (grain: Grain, from: string) => `    INSERT INTO step_hour (grain, hour, step_id, simulated, purpose, station, passed, failed, errors, skipped, first_at, tie, title_at, title_id, title_ord, title) ${STEP_HOUR_SELECT(grain, from)}
    ON CONFLICT (grain, hour, step_id, simulated, purpose, station) DO UPDATE SET passed = step_hour.passed + EXCLUDED.passed, failed = step_hour.failed + EXCLUDED.failed,
      errors = step_hour.errors + EXCLUDED.errors, skipped = step_hour.skipped + EXCLUDED.skipped, first_at = least(step_hour.first_at, EXCLUDED.first_at), tie = least(step_hour.tie, EXCLUDED.tie),
      title = CASE WHEN (EXCLUDED.title_at, EXCLUDED.title_id, EXCLUDED.title_ord) < (step_hour.title_at, step_hour.title_id, step_hour.title_ord) THEN EXCLUDED.title ELSE step_hour.title END,
      title_ord = CASE WHEN (EXCLUDED.title_at, EXCLUDED.title_id, EXCLUDED.title_ord) < (step_hour.title_at, step_hour.title_id, step_hour.title_ord) THEN EXCLUDED.title_ord ELSE step_hour.title_ord END,
      title_id = CASE WHEN (EXCLUDED.title_at, EXCLUDED.title_id, EXCLUDED.title_ord) < (step_hour.title_at, step_hour.title_id, step_hour.title_ord) THEN EXCLUDED.title_id ELSE step_hour.title_id END,
      title_at = least(step_hour.title_at, EXCLUDED.title_at);
`
const FAIL_HOUR_UPSERT = (grain: Grain, from: string) => `    INSERT INTO fail_hour (grain, hour, step_id, cause, simulated, purpose, station, n, first_at, tie) ${FAIL_HOUR_SELECT(grain, from)}
    ON CONFLICT (grain, hour, step_id, cause, simulated, purpose, station) DO UPDATE SET n = fail_hour.n + EXCLUDED.n, first_at = least(fail_hour.first_at, EXCLUDED.first_at), tie = least(fail_hour.tie, EXCLUDED.tie);
`
const DURATION_UPSERT = (grain: Grain, from: string) => `    INSERT INTO duration_bin (grain, at, step_id, simulated, bin, n, lo, hi, min_ord) ${DURATION_SELECT(grain, from)}
    ON CONFLICT (grain, at, step_id, simulated, bin) DO UPDATE SET n = duration_bin.n + EXCLUDED.n, lo = least(duration_bin.lo, EXCLUDED.lo), hi = greatest(duration_bin.hi, EXCLUDED.hi), min_ord = least(duration_bin.min_ord, EXCLUDED.min_ord);
`

/** Adds the steps read from `from` to the hourly and daily step, failure and duration roll-ups. */
const STEP_UPSERTS = (from: string) => [STEP_HOUR_UPSERT, FAIL_HOUR_UPSERT, DURATION_UPSERT].flatMap((upsert) => (['hour', 'day'] as const).map((grain) => upsert(grain, from))).join('')

/** Adds the runs read from `from` to the hourly run roll-up. */
const RUN_UPSERT = (from: string) => `    INSERT INTO run_hour (hour, station, simulated, purpose, runs, passed, first_at, last_at) ${RUN_HOUR_SELECT(from)}
    ON CONFLICT (hour, station, simulated, purpose) DO UPDATE SET runs = run_hour.runs + EXCLUDED.runs, passed = run_hour.passed + EXCLUDED.passed,
      first_at = least(run_hour.first_at, EXCLUDED.first_at), last_at = greatest(run_hour.last_at, EXCLUDED.last_at);
`

const NEW_STEPS = '(SELECT s.* FROM step s JOIN unnest(step_runs, step_ords) AS p(run_id, ordinal) ON s.run_id = p.run_id AND s.ordinal = p.ordinal) x'

const FUNCTIONS = `
CREATE OR REPLACE FUNCTION k230_fill_step() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT r.started_at, r.simulated, r.purpose, coalesce(r.station, '?') INTO NEW.started_at, NEW.simulated, NEW.purpose, NEW.station FROM run r WHERE r.id = NEW.run_id;
  RETURN NEW;
END $$;
CREATE TRIGGER step_fill BEFORE INSERT ON step FOR EACH ROW WHEN (NEW.started_at IS NULL OR NEW.simulated IS NULL OR NEW.purpose IS NULL OR NEW.station IS NULL) EXECUTE FUNCTION k230_fill_step();

CREATE OR REPLACE FUNCTION k230_unit_delta(serials text[], lock boolean) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE old jsonb; delta jsonb;
BEGIN
  IF serials IS NULL OR cardinality(serials) = 0 THEN RETURN '[]'::jsonb; END IF;
  IF lock THEN
    PERFORM pg_advisory_xact_lock(230018, h) FROM (SELECT DISTINCT hashtext(s) & 255 AS h FROM unnest(serials) s ORDER BY 1) x;
  END IF;
  WITH d AS (DELETE FROM unit_span WHERE serial = ANY(serials) RETURNING dim, scope, key, first_hour, last_hour, serial, first_v, last_v)
  SELECT coalesce(jsonb_agg(d), '[]'::jsonb) INTO old FROM d;
  ${UNIT_SPAN_INSERT('serial = ANY(serials)')};
  SELECT coalesce(jsonb_agg(x ORDER BY dim, scope, key, first_hour, last_hour, shard), '[]'::jsonb) INTO delta FROM (
    SELECT dim, scope, key, first_hour, last_hour, shard, sum(sg) AS units, sum(sg * (first_v = 'pass')::int) AS first_pass, sum(sg * (last_v = 'pass')::int) AS final_pass
    FROM (
      SELECT dim, scope, key, first_hour, last_hour, hashtext(serial) & 7 AS shard, first_v, last_v, 1 AS sg FROM unit_span WHERE serial = ANY(serials)
      UNION ALL SELECT dim, scope, key, first_hour, last_hour, hashtext(serial) & 7, first_v, last_v, -1 FROM jsonb_to_recordset(old)
        AS o(dim text, scope text, key text, first_hour timestamptz, last_hour timestamptz, serial text, first_v text, last_v text)
    ) y GROUP BY 1, 2, 3, 4, 5, 6) x;
  RETURN delta;
END $$;

CREATE OR REPLACE FUNCTION k230_apply_span_delta(delta jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO span_count (dim, scope, key, first_hour, last_hour, shard, units, first_pass, final_pass)
  SELECT dim, scope, key, first_hour, last_hour, shard, units, first_pass, final_pass
  FROM jsonb_to_recordset(delta) AS d(dim text, scope text, key text, first_hour timestamptz, last_hour timestamptz, shard int, units int, first_pass int, final_pass int)
  WHERE units <> 0 OR first_pass <> 0 OR final_pass <> 0 ORDER BY dim, scope, key, first_hour, last_hour, shard
  ON CONFLICT (dim, scope, key, first_hour, last_hour, shard) DO UPDATE SET units = span_count.units + EXCLUDED.units,
    first_pass = span_count.first_pass + EXCLUDED.first_pass, final_pass = span_count.final_pass + EXCLUDED.final_pass;
  DELETE FROM span_count WHERE units = 0 AND first_pass = 0 AND final_pass = 0 AND (dim, scope, key, first_hour, last_hour, shard) IN
    (SELECT dim, scope, key, first_hour, last_hour, shard FROM jsonb_to_recordset(delta) AS d(dim text, scope text, key text, first_hour timestamptz, last_hour timestamptz, shard int) WHERE units < 0);
END $$;

CREATE OR REPLACE FUNCTION k230_refresh_units(serials text[], lock boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM k230_apply_span_delta(k230_unit_delta(serials, lock));
END $$;

CREATE OR REPLACE FUNCTION k230_rebuild_days(days timestamptz[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF days IS NULL OR cardinality(days) = 0 THEN RETURN; END IF;
  DELETE FROM run_hour WHERE k230_day(hour) = ANY(days);
  DELETE FROM step_hour WHERE k230_day(hour) = ANY(days);
  DELETE FROM fail_hour WHERE k230_day(hour) = ANY(days);
  DELETE FROM duration_bin WHERE k230_day(at) = ANY(days);
  INSERT INTO run_hour ${RUN_HOUR_SELECT("(SELECT r.* FROM run r JOIN unnest(days) d ON r.started_at >= d AND r.started_at < d + interval '1 day') x")};
  INSERT INTO step_hour ${STEP_HOUR_SELECT('hour', "(SELECT s.* FROM step s JOIN unnest(days) d ON s.started_at >= d AND s.started_at < d + interval '1 day') x")};
  INSERT INTO step_hour ${STEP_HOUR_SELECT('day', "(SELECT s.* FROM step s JOIN unnest(days) d ON s.started_at >= d AND s.started_at < d + interval '1 day') x")};
  INSERT INTO fail_hour ${FAIL_HOUR_SELECT('hour', "(SELECT s.* FROM step s JOIN unnest(days) d ON s.started_at >= d AND s.started_at < d + interval '1 day') x")};
  INSERT INTO fail_hour ${FAIL_HOUR_SELECT('day', "(SELECT s.* FROM step s JOIN unnest(days) d ON s.started_at >= d AND s.started_at < d + interval '1 day') x")};
  INSERT INTO duration_bin ${DURATION_SELECT('hour', "(SELECT s.* FROM step s JOIN unnest(days) d ON s.started_at >= d AND s.started_at < d + interval '1 day') x")};
  INSERT INTO duration_bin ${DURATION_SELECT('day', "(SELECT s.* FROM step s JOIN unnest(days) d ON s.started_at >= d AND s.started_at < d + interval '1 day') x")};
END $$;

CREATE OR REPLACE FUNCTION k230_rebuild_all() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE run_hour, step_hour, fail_hour, duration_bin, unit_span, span_count;
  INSERT INTO run_hour ${RUN_HOUR_SELECT('run')};
  INSERT INTO step_hour ${STEP_HOUR_SELECT('hour', 'step')};
  INSERT INTO step_hour ${STEP_HOUR_SELECT('day', 'step')};
  INSERT INTO fail_hour ${FAIL_HOUR_SELECT('hour', 'step')};
  INSERT INTO fail_hour ${FAIL_HOUR_SELECT('day', 'step')};
  INSERT INTO duration_bin ${DURATION_SELECT('hour', 'step')};
  INSERT INTO duration_bin ${DURATION_SELECT('day', 'step')};
  ${UNIT_SPAN_INSERT('true')};
  INSERT INTO span_count (dim, scope, key, first_hour, last_hour, shard, units, first_pass, final_pass)
  SELECT dim, scope, key, first_hour, last_hour, 0, count(*), count(*) FILTER (WHERE first_v = 'pass'), count(*) FILTER (WHERE last_v = 'pass') FROM unit_span GROUP BY 1, 2, 3, 4, 5;
END $$;

CREATE OR REPLACE FUNCTION k230_apply_pending() RETURNS void LANGUAGE plpgsql AS $$
DECLARE runs text[]; step_runs text[]; step_ords int[]; delta jsonb := '[]'::jsonb;
BEGIN
  DELETE FROM rollup_tx WHERE txid = txid_current();
  WITH p AS (DELETE FROM rollup_pending_run RETURNING run_id) SELECT array_agg(run_id ORDER BY run_id) INTO runs FROM p;
  WITH p AS (DELETE FROM rollup_pending_step RETURNING run_id, ordinal) SELECT array_agg(run_id), array_agg(ordinal) INTO step_runs, step_ords FROM p;
  IF runs IS NOT NULL THEN
    delta := k230_unit_delta(array(SELECT DISTINCT serial FROM run WHERE id = ANY(runs)), true);
${RUN_UPSERT('(SELECT * FROM run WHERE id = ANY(runs)) x')}    PERFORM k230_apply_span_delta(delta);
  END IF;
  IF step_runs IS NOT NULL THEN
${STEP_UPSERTS(NEW_STEPS)}  END IF;
END $$;

CREATE OR REPLACE FUNCTION k230_mark_tx() RETURNS void LANGUAGE sql AS $$ INSERT INTO rollup_tx (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING $$;

CREATE OR REPLACE FUNCTION k230_tx_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM k230_apply_pending();
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION k230_run_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_pending_run (run_id) SELECT id FROM new_runs ON CONFLICT DO NOTHING;
  IF FOUND THEN PERFORM k230_mark_tx(); END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION k230_step_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_pending_step (run_id, ordinal) SELECT run_id, ordinal FROM new_steps ON CONFLICT DO NOTHING;
  IF FOUND THEN PERFORM k230_mark_tx(); END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION k230_run_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM k230_apply_pending();
  PERFORM k230_refresh_units(array(SELECT DISTINCT serial FROM old_runs), true);
  PERFORM k230_rebuild_days(array(SELECT DISTINCT k230_day(started_at) FROM old_runs));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION k230_step_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM k230_apply_pending();
  PERFORM k230_rebuild_days(array(SELECT DISTINCT k230_day(started_at) FROM old_steps));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION k230_run_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE run_hour, step_hour, fail_hour, duration_bin, unit_span, span_count, rollup_pending_run, rollup_pending_step;
  RETURN NULL;
END $$;

CREATE TRIGGER run_rollup_truncate AFTER TRUNCATE ON run FOR EACH STATEMENT EXECUTE FUNCTION k230_run_truncated();
CREATE CONSTRAINT TRIGGER rollup_at_commit AFTER INSERT ON rollup_tx DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION k230_tx_commit();
CREATE TRIGGER run_rollup_insert AFTER INSERT ON run REFERENCING NEW TABLE AS new_runs FOR EACH STATEMENT EXECUTE FUNCTION k230_run_inserted();
CREATE TRIGGER run_rollup_delete AFTER DELETE ON run REFERENCING OLD TABLE AS old_runs FOR EACH STATEMENT EXECUTE FUNCTION k230_run_deleted();
CREATE TRIGGER step_rollup_insert AFTER INSERT ON step REFERENCING NEW TABLE AS new_steps FOR EACH STATEMENT EXECUTE FUNCTION k230_step_inserted();
CREATE TRIGGER step_rollup_delete AFTER DELETE ON step REFERENCING OLD TABLE AS old_steps FOR EACH STATEMENT EXECUTE FUNCTION k230_step_deleted();
`

/** The SQL of schema version 3 (step start time, roll-ups, triggers, back-fill of what was already stored). */
export const ROLLUP_MIGRATION_SQL = `${TABLES}${UNIT_GROUPS}${FUNCTIONS}
SELECT k230_rebuild_all();
ANALYZE run_hour; ANALYZE step_hour; ANALYZE fail_hour; ANALYZE duration_bin; ANALYZE unit_span; ANALYZE span_count;`

const PENDING_RUNS = 'jsonb_to_recordset(runs) AS x(run_id text, serial text, station text, started_at timestamptz, simulated boolean, purpose text, verdict text)'
const PENDING_STEPS =
  'jsonb_to_recordset(steps) AS x(run_id text, ordinal int, step_id text, title text, verdict text, cause text, duration_ms double precision, started_at timestamptz, simulated boolean, purpose text, station text)'

/**
 * The SQL of schema version 4: the pending rows carry the columns the roll-ups read, so applying them at commit never reads the run or
 * step tables back (a fresh server's planner, with no statistics yet, scanned all of `step` for each commit).
 */
export const PENDING_ROWS_MIGRATION_SQL = `
ALTER TABLE rollup_pending_run ADD COLUMN serial text, ADD COLUMN station text, ADD COLUMN started_at timestamptz, ADD COLUMN simulated boolean, ADD COLUMN purpose text, ADD COLUMN verdict text;
ALTER TABLE rollup_pending_step ADD COLUMN step_id text, ADD COLUMN title text, ADD COLUMN verdict text, ADD COLUMN cause text, ADD COLUMN duration_ms double precision,
  ADD COLUMN started_at timestamptz, ADD COLUMN simulated boolean, ADD COLUMN purpose text, ADD COLUMN station text;

CREATE OR REPLACE FUNCTION k230_run_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_pending_run (run_id, serial, station, started_at, simulated, purpose, verdict)
  SELECT id, serial, station, started_at, simulated, purpose, verdict FROM new_runs ON CONFLICT DO NOTHING;
  IF FOUND THEN PERFORM k230_mark_tx(); END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION k230_step_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_pending_step (run_id, ordinal, step_id, title, verdict, cause, duration_ms, started_at, simulated, purpose, station)
  SELECT run_id, ordinal, step_id, title, verdict, cause, duration_ms, started_at, simulated, purpose, station FROM new_steps ON CONFLICT DO NOTHING;
  IF FOUND THEN PERFORM k230_mark_tx(); END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION k230_apply_pending() RETURNS void LANGUAGE plpgsql AS $$
DECLARE runs jsonb; steps jsonb; delta jsonb := '[]'::jsonb;
BEGIN
  DELETE FROM rollup_tx WHERE txid = txid_current();
  WITH p AS (DELETE FROM rollup_pending_run RETURNING *) SELECT jsonb_agg(to_jsonb(p) ORDER BY run_id) INTO runs FROM p;
  WITH p AS (DELETE FROM rollup_pending_step RETURNING *) SELECT jsonb_agg(to_jsonb(p)) INTO steps FROM p;
  IF runs IS NOT NULL THEN
    delta := k230_unit_delta(array(SELECT DISTINCT serial FROM jsonb_to_recordset(runs) AS r(serial text)), true);
${RUN_UPSERT(`(SELECT * FROM ${PENDING_RUNS}) x`)}
    PERFORM k230_apply_span_delta(delta);
  END IF;
  IF steps IS NOT NULL THEN
${STEP_UPSERTS(`(SELECT * FROM ${PENDING_STEPS}) x`)}
  END IF;
END $$;
`

/**
 * The SQL of schema version 5: the line's clock (`line_clock`: time zone, shift starts and names; UTC A 06:00, B 14:00, C 22:00 until
 * set), shift and hour label read in it, and `k230_set_clock`, which changes it and recomputes the shift and hour unit spans under
 * every unit lock.
 */
export const LINE_CLOCK_MIGRATION_SQL = `
CREATE TABLE line_clock (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), time_zone text NOT NULL, starts int[] NOT NULL, names text[] NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(), CHECK (cardinality(starts) = cardinality(names) AND cardinality(starts) > 0));
INSERT INTO line_clock (time_zone, starts, names) VALUES ('UTC', '{360,840,1320}', '{A,B,C}');

CREATE OR REPLACE FUNCTION k230_shift(ts timestamptz) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT c.names[coalesce(nullif((SELECT count(*)::int FROM unnest(c.starts) s WHERE s <= m.minute), 0), cardinality(c.starts))]
  FROM line_clock c CROSS JOIN LATERAL (SELECT (extract(hour FROM ts AT TIME ZONE c.time_zone) * 60 + extract(minute FROM ts AT TIME ZONE c.time_zone))::int AS minute) m
$$;
CREATE OR REPLACE FUNCTION k230_hour_label(ts timestamptz) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT to_char(date_trunc('hour', ts AT TIME ZONE c.time_zone), 'YYYY-MM-DD HH24:00') FROM line_clock c
$$;
${UNIT_GROUPS_OF(SHIFT_OF, HOUR_LABEL_OF, 'CREATE OR REPLACE VIEW')}
CREATE OR REPLACE FUNCTION k230_set_clock(p_zone text, p_starts int[], p_names text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(230018, h) FROM generate_series(0, 255) h ORDER BY h;
  UPDATE line_clock SET time_zone = p_zone, starts = p_starts, names = p_names, changed_at = now();
  DELETE FROM unit_span WHERE dim IN ('shift', 'hour');
  DELETE FROM span_count WHERE dim IN ('shift', 'hour');
  ${UNIT_SPAN_INSERT("dim IN ('shift', 'hour')")};
  INSERT INTO span_count (dim, scope, key, first_hour, last_hour, shard, units, first_pass, final_pass)
  SELECT dim, scope, key, first_hour, last_hour, 0, count(*), count(*) FILTER (WHERE first_v = 'pass'), count(*) FILTER (WHERE last_v = 'pass')
  FROM unit_span WHERE dim IN ('shift', 'hour') GROUP BY 1, 2, 3, 4, 5;
END $$;
`
