import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { sqlIdent } from './lexer.js';

/** A column as the statement API and Unity Catalog describe it. */
export interface DatabricksType {
  /** Statement/UC enum, e.g. INT, LONG, DECIMAL, STRING. */
  typeName: string;
  /** Spark type text, lower case as Unity Catalog shows it (e.g. `decimal(10,2)`, `array<int>`). */
  typeText: string;
  precision?: number;
  scale?: number;
  /** Spark JSON type, as UC's `type_json` embeds it. */
  json: unknown;
}

const simple = (typeName: string, typeText: string, json: string = typeText): DatabricksType => ({ typeName, typeText, json });

/**
 * DuckDB → Databricks types. DuckDB-only types fold into the nearest Spark type (HUGEINT, which
 * DuckDB returns for SUM of integers where Spark returns BIGINT, becomes LONG; TIME/UUID/ENUM
 * become STRING).
 */
export function toDatabricksType(t: DuckDBType): DatabricksType {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return simple('BOOLEAN', 'boolean');
    case DuckDBTypeId.TINYINT:
      return simple('BYTE', 'tinyint', 'byte');
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return simple('SHORT', 'smallint', 'short');
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.INTEGER_LITERAL:
      return simple('INT', 'int', 'integer');
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return simple('LONG', 'bigint', 'long');
    case DuckDBTypeId.FLOAT:
      return simple('FLOAT', 'float');
    case DuckDBTypeId.DOUBLE:
      return simple('DOUBLE', 'double');
    case DuckDBTypeId.DECIMAL: {
      const { width, scale } = t as unknown as { width: number; scale: number };
      return { typeName: 'DECIMAL', typeText: `decimal(${width},${scale})`, precision: width, scale, json: `decimal(${width},${scale})` };
    }
    case DuckDBTypeId.DATE:
      return simple('DATE', 'date');
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return simple('TIMESTAMP', 'timestamp');
    case DuckDBTypeId.INTERVAL:
      return simple('INTERVAL', 'interval');
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.BIT:
      return simple('BINARY', 'binary');
    case DuckDBTypeId.SQLNULL:
      return simple('NULL', 'void');
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const inner = toDatabricksType((t as unknown as { valueType: DuckDBType }).valueType);
      return { typeName: 'ARRAY', typeText: `array<${inner.typeText}>`, json: { type: 'array', elementType: inner.json, containsNull: true } };
    }
    case DuckDBTypeId.MAP: {
      const m = t as unknown as { keyType: DuckDBType; valueType: DuckDBType };
      const k = toDatabricksType(m.keyType);
      const v = toDatabricksType(m.valueType);
      return { typeName: 'MAP', typeText: `map<${k.typeText},${v.typeText}>`, json: { type: 'map', keyType: k.json, valueType: v.json, valueContainsNull: true } };
    }
    case DuckDBTypeId.STRUCT: {
      const s = t as unknown as { entryNames: readonly string[]; entryTypes: readonly DuckDBType[] };
      const fields = s.entryNames.map((name, i) => ({ name, type: toDatabricksType(s.entryTypes[i]!) }));
      return {
        typeName: 'STRUCT',
        typeText: `struct<${fields.map((f) => `${f.name}:${f.type.typeText}`).join(',')}>`,
        json: { type: 'struct', fields: fields.map((f) => ({ name: f.name, type: f.type.json, nullable: true, metadata: {} })) },
      };
    }
    default:
      return simple('STRING', 'string');
  }
}

/** The statement API spells type_text in upper case (`DECIMAL(10,2)`, `ARRAY<INT>`). */
export function statementTypeText(t: DatabricksType): string {
  return t.typeText.toUpperCase();
}

/**
 * A DuckDB expression that renders column `name` of type `t` as the string the statement API's
 * JSON_ARRAY format carries (null stays null). Done inside DuckDB because converting millions of
 * values one by one in JavaScript is an order of magnitude slower.
 */
export function renderExpression(name: string, t: DuckDBType): string {
  const c = sqlIdent(name);
  switch (t.typeId) {
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.FLOAT:
      return javaDoubleExpression(c);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return `strftime(CAST(${c} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')`;
    case DuckDBTypeId.TIMESTAMP_TZ:
      // The emulator's session time zone is UTC, as a warehouse's default is.
      return `strftime(timezone('UTC', ${c}), '%Y-%m-%dT%H:%M:%S.%gZ')`;
    case DuckDBTypeId.BLOB:
      return `base64(${c})`;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      // Databricks renders complex values as JSON text.
      return `CAST(to_json(${c}) AS VARCHAR)`;
    default:
      return `CAST(${c} AS VARCHAR)`;
  }
}

/**
 * Spark prints doubles like Java's Double.toString: plain between 1e-3 and 1e7 (always with a
 * fraction digit), otherwise scientific as `1.0E10`. DuckDB's own cast gives `10000000000.0`.
 */
export function javaDoubleExpression(c: string): string {
  const x = `CAST(${c} AS DOUBLE)`;
  const s = `CAST(${c} AS VARCHAR)`;
  const intDigits = `regexp_extract(${s}, '^-?\\d(\\d*)\\.', 1)`;
  const mant = `regexp_extract(${s}, '^([^e]*)e', 1)`;
  return `(CASE WHEN isnan(${x}) THEN 'NaN'
    WHEN isinf(${x}) THEN (CASE WHEN ${x} > 0 THEN 'Infinity' ELSE '-Infinity' END)
    WHEN ${x} = 0 OR (abs(${x}) >= 1e-3 AND abs(${x}) < 1e7) THEN ${s}
    WHEN contains(${s}, 'e') THEN ${mant} || (CASE WHEN contains(${mant}, '.') THEN '' ELSE '.0' END)
      || 'E' || CAST(CAST(regexp_extract(${s}, 'e(.*)$', 1) AS INTEGER) AS VARCHAR)
    WHEN abs(${x}) >= 1e7 THEN regexp_extract(${s}, '^(-?\\d)', 1) || '.'
      || coalesce(nullif(rtrim(${intDigits} || regexp_extract(${s}, '\\.(\\d*)$', 1), '0'), ''), '0')
      || 'E' || CAST(length(${intDigits}) AS VARCHAR)
    ELSE regexp_extract(${s}, '^(-?)', 1) || regexp_extract(${s}, '^-?0\\.0*(\\d)', 1) || '.'
      || coalesce(nullif(regexp_extract(${s}, '^-?0\\.0*\\d(\\d*)$', 1), ''), '0')
      || 'E-' || CAST(length(regexp_extract(${s}, '^-?0\\.(0*)', 1)) + 1 AS VARCHAR) END)`;
}

/**
 * Approximate in-memory size of one value, the basis of `byte_limit` and the 25 MiB INLINE cap
 * (the real API also counts "internal data representations", not JSON text).
 */
export function byteSizeExpression(name: string, t: DuckDBType): string {
  const c = sqlIdent(name);
  const fixed: Partial<Record<DuckDBTypeId, number>> = {
    [DuckDBTypeId.BOOLEAN]: 1,
    [DuckDBTypeId.TINYINT]: 1,
    [DuckDBTypeId.SMALLINT]: 2,
    [DuckDBTypeId.INTEGER]: 4,
    [DuckDBTypeId.DATE]: 4,
    [DuckDBTypeId.FLOAT]: 4,
    [DuckDBTypeId.BIGINT]: 8,
    [DuckDBTypeId.DOUBLE]: 8,
    [DuckDBTypeId.TIMESTAMP]: 8,
    [DuckDBTypeId.TIMESTAMP_TZ]: 8,
    [DuckDBTypeId.HUGEINT]: 16,
    [DuckDBTypeId.DECIMAL]: 16,
    [DuckDBTypeId.INTERVAL]: 16,
  };
  const size = fixed[t.typeId];
  if (size !== undefined) return `${size}`;
  if (t.typeId === DuckDBTypeId.VARCHAR) return `coalesce(strlen(${c}), 0)`;
  if (t.typeId === DuckDBTypeId.BLOB) return `coalesce(octet_length(${c}), 0)`;
  return `coalesce(strlen(CAST(${c} AS VARCHAR)), 0)`;
}
