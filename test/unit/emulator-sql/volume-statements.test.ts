import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferFormat, readSpec, readerSql, withFormat } from '../../../src/emulator/sql/file-format.js';
import { tokenize } from '../../../src/emulator/sql/lexer.js';
import { discoverFiles, globSegment } from '../../../src/emulator/sql/volume-files.js';
import { parseSqlVolumePath } from '../../../src/emulator/sql/volume-paths.js';
import { volumeStatement } from '../../../src/emulator/sql/volume-statements.js';

describe('volume paths in SQL', () => {
  it('takes /Volumes/<catalog>/<schema>/<volume>/… only, names lower-cased, segments as written', () => {
    expect(parseSqlVolumePath('/Volumes/Lake/Raw/Landing/Dir/a*.csv', 'read_files')).toEqual({
      volume: { catalog: 'lake', schema: 'raw', name: 'landing' },
      segments: ['Dir', 'a*.csv'],
      root: '/Volumes/Lake/Raw/Landing',
    });
    expect(parseSqlVolumePath('/Volumes/c/s/v/', 'LIST').segments).toEqual([]);
  });

  it('refuses every other scheme, dot segments, empty segments, NUL and globs above the volume', () => {
    for (const p of ['/etc/passwd', 'dbfs:/Volumes/c/s/v/x', 's3://b/k', 'x.csv', '/volumes/c/s/v/x', 'file:/etc']) {
      expect(() => parseSqlVolumePath(p, 'read_files')).toThrow('not supported by the emulator: read_files of');
    }
    expect(() => parseSqlVolumePath('/Volumes/c/s/v/../../x', 'read_files')).toThrow("'.' and '..' segments are not allowed");
    expect(() => parseSqlVolumePath('/Volumes/c/s/v/./x', 'read_files')).toThrow("'.' and '..' segments are not allowed");
    expect(() => parseSqlVolumePath('/Volumes/c/s/v//x', 'read_files')).toThrow('empty path segment');
    expect(() => parseSqlVolumePath('/Volumes/c/s/v/x\0', 'read_files')).toThrow('NUL');
    expect(() => parseSqlVolumePath('/Volumes/c/s', 'read_files')).toThrow('/Volumes/<catalog>/<schema>/<volume>');
    expect(() => parseSqlVolumePath('/Volumes/c/*/v/x', 'read_files')).toThrow('glob patterns in the catalog, schema or volume name');
  });
});

describe('globs (the strict globber: within one segment)', () => {
  it.each([
    ['a*.csv', 'ab.csv', true],
    ['a*.csv', 'a/b.csv', false],
    ['?.csv', 'a.csv', true],
    ['[ab].csv', 'b.csv', true],
    ['[^ab].csv', 'b.csv', false],
    ['[a-c]x', 'bx', true],
    ['{ab,c{de,fh}}', 'cfh', true],
    ['{ab,c{de,fh}}', 'cd', false],
    ['a.csv', 'abcsv', false],
  ])('%s matches %s: %s', (glob, name, match) => {
    expect(globSegment(glob).test(name)).toBe(match);
  });

  it('a directory matched reads everything under it; hidden files and symbolic links are skipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vol-'));
    try {
      mkdirSync(join(dir, 'a', 'b', 'c'), { recursive: true });
      mkdirSync(join(dir, 'a', '_tmp'), { recursive: true });
      for (const f of ['a/b/c/1.csv', 'a/b/2.csv', 'a/_tmp/3.csv', 'a/b/.4.csv', 'a/b/_SUCCESS']) writeFileSync(join(dir, f), 'x');
      symlinkSync('/etc/passwd', join(dir, 'a', 'b', 'link.csv'));
      const paths = (p: string) => discoverFiles(dir, parseSqlVolumePath(`/Volumes/c/s/v/${p}`, 'read_files')).map((f) => f.path.slice('/Volumes/c/s/v/'.length));
      expect(paths('a')).toEqual(['a/b/2.csv', 'a/b/c/1.csv']);
      expect(paths('a/*/c')).toEqual(['a/b/c/1.csv']);
      expect(paths('a/*/*.csv')).toEqual(['a/b/2.csv']);
      expect(paths('a/b/2.csv')).toEqual(['a/b/2.csv']);
      expect(() => paths('a/b/link.csv')).toThrow('[PATH_NOT_FOUND]');
      expect(() => paths('nope')).toThrow('[PATH_NOT_FOUND] Path does not exist: /Volumes/c/s/v/nope');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parsing read_files, COPY INTO and LIST', () => {
  it('finds read_files calls with their options; other statements are left alone', () => {
    const tokens = tokenize("SELECT * FROM read_files('/Volumes/c/s/v/x', format => 'csv', header => true, `sep` => ';') t");
    const st = volumeStatement(tokens);
    expect(st).toMatchObject({ kind: 'readFiles', calls: [{ start: 3, path: '/Volumes/c/s/v/x', options: new Map([['format', 'csv'], ['header', 'true'], ['sep', ';']]) }] });
    expect(volumeStatement(tokenize('SELECT 1'))).toBeUndefined();
    expect(() => volumeStatement(tokenize("CREATE OR REPLACE VIEW v AS SELECT * FROM read_files('/Volumes/c/s/v/x')"))).toThrow('read_files in a view or function definition');
    expect(volumeStatement(tokenize("CREATE TABLE t AS SELECT * FROM read_files('/Volumes/c/s/v/x')"))).toMatchObject({ kind: 'readFiles' });
    expect(volumeStatement(tokenize('SELECT * FROM s.read_files(1)'))).toBeUndefined();
    expect(() => volumeStatement(tokenize("SELECT * FROM read_files('/Volumes/c/s/v/x', 'csv')"))).toThrow('key => value');
    expect(() => volumeStatement(tokenize("SELECT * FROM read_files('/Volumes/c/s/v/x', header => 1 = 1)"))).toThrow('not supported by the emulator');
  });

  it('COPY INTO: target, source, format, FILES or PATTERN, options; a query source', () => {
    expect(volumeStatement(tokenize("COPY INTO c.s.t FROM '/Volumes/c/s/v/d' FILEFORMAT = CSV FILES = ('a.csv', 'b.csv') FORMAT_OPTIONS ('header' = 'true') COPY_OPTIONS ('force' = 'true')"))).toMatchObject({
      kind: 'copyInto',
      table: ['c', 's', 't'],
      path: '/Volumes/c/s/v/d',
      format: 'CSV',
      files: ['a.csv', 'b.csv'],
      formatOptions: new Map([['header', 'true']]),
      copyOptions: new Map([['force', 'true']]),
    });
    const q = volumeStatement(tokenize("COPY INTO t FROM (SELECT a::INT AS a FROM '/Volumes/c/s/v/d') FILEFORMAT = JSON PATTERN = '*.json'"));
    expect(q).toMatchObject({ kind: 'copyInto', path: '/Volumes/c/s/v/d', pattern: '*.json', format: 'JSON' });
    expect(() => volumeStatement(tokenize("COPY INTO t FROM '/Volumes/c/s/v/d'"))).toThrow('FILEFORMAT');
    expect(() => volumeStatement(tokenize("COPY INTO t FROM '/Volumes/c/s/v/d' FILEFORMAT = CSV VALIDATE ALL"))).toThrow('not supported by the emulator: COPY INTO … VALIDATE');
    expect(() => volumeStatement(tokenize("COPY INTO t BY POSITION FROM '/Volumes/c/s/v/d' FILEFORMAT = CSV"))).toThrow('BY POSITION');
  });

  it('LIST with an optional LIMIT', () => {
    expect(volumeStatement(tokenize("LIST '/Volumes/c/s/v' LIMIT 5"))).toEqual({ kind: 'list', path: '/Volumes/c/s/v', limit: 5 });
    expect(() => volumeStatement(tokenize("LIST '/Volumes/c/s/v' WITH (CREDENTIAL x)"))).toThrow('not supported by the emulator');
  });
});

describe('reader options', () => {
  it('read_files defaults: typed CSV, a _rescued_data column for CSV and JSON only', () => {
    const spec = readSpec(new Map([['HEADER', 'true'], ['Delimiter', ';']]), 'read_files');
    expect(spec).toMatchObject({ header: true, sep: ';', inferTypes: true, rescuedColumn: '_rescued_data' });
    expect(withFormat(spec, 'parquet').rescuedColumn).toBeUndefined();
    expect(withFormat(readSpec(new Map([['schemaEvolutionMode', 'none']]), 'read_files'), 'csv').rescuedColumn).toBeUndefined();
    expect(readSpec(new Map(), 'COPY INTO', 'csv')).toMatchObject({ inferTypes: false });
    expect(readSpec(new Map(), 'COPY INTO', 'csv').rescuedColumn).toBeUndefined();
  });

  it('refuses what it cannot honour, naming the option as written', () => {
    expect(() => readSpec(new Map([['pathGlobFilter', '*.csv']]), 'read_files')).toThrow('not supported by the emulator: read_files option pathGlobFilter');
    expect(() => readSpec(new Map([['mode', 'DROPMALFORMED']]), 'read_files')).toThrow('mode');
    expect(() => readSpec(new Map([['encoding', 'latin1']]), 'read_files')).toThrow('UTF-8 only');
    expect(() => readSpec(new Map([['header', 'yes']]), 'read_files')).toThrow("The value 'yes' of option 'header' is not a boolean");
    expect(() => readSpec(new Map([['format', 'avro']]), 'read_files')).toThrow("format 'avro'");
  });

  it('a schema becomes DuckDB columns; the reader gets only literal file paths', () => {
    const spec = withFormat(readSpec(new Map([['schema', 'id INT, `my name` STRING, d DECIMAL(5,2)']]), 'read_files'), 'csv');
    expect(spec.schema).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'my name', type: 'VARCHAR' },
      { name: 'd', type: 'DECIMAL(5,2)' },
    ]);
    expect(readerSql(spec, ["/x/it's.csv"])).toContain("read_csv(['/x/it''s.csv']");
  });

  it('infers the format from one shared extension, else asks for format', () => {
    expect(inferFormat(['a.CSV', 'b.csv'])).toBe('csv');
    expect(inferFormat(['a.jsonl', 'b.json'])).toBe('json');
    expect(() => inferFormat(['a.csv', 'b.json'])).toThrow('give format');
  });
});
