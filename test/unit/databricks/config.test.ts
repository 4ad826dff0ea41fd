import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, detectCloud, normalizeHost, resolveConfig } from '../../../src/databricks/index.js';
import { parseConfigFile } from '../../../src/databricks/config.js';

const dir = mkdtempSync(join(tmpdir(), 'dbcfg-'));
const cfgFile = join(dir, 'databrickscfg');
writeFileSync(
  cfgFile,
  [
    '; comment',
    '[DEFAULT]',
    'host = https://default.cloud.databricks.com',
    'token = dapi-default',
    '',
    '[staging]',
    'host = adb-123.4.azuredatabricks.net',
    'client_id = sp-id',
    'client_secret = sp-secret',
    '',
    '[basic]',
    'host = https://b.cloud.databricks.com',
    'token = dapi-basic',
    'auth_type = basic',
  ].join('\n'),
);
const missingFile = join(dir, 'nope');

describe('normalizeHost', () => {
  it.each([
    ['dbc-1.cloud.databricks.com', 'https://dbc-1.cloud.databricks.com'],
    ['https://dbc-1.cloud.databricks.com/', 'https://dbc-1.cloud.databricks.com'],
    ['https://adb-1234.5.azuredatabricks.net/?o=1234#job/1', 'https://adb-1234.5.azuredatabricks.net'],
    ['1234.5.gcp.databricks.com/some/path', 'https://1234.5.gcp.databricks.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:8080/api/2.0', 'http://localhost:8080'],
    ['  HTTPS://X.cloud.databricks.com  ', 'https://x.cloud.databricks.com'],
  ])('%s → %s', (input, out) => expect(normalizeHost(input)).toBe(out));

  it('rejects other schemes', () => {
    expect(() => normalizeHost('ftp://x')).toThrow(ConfigurationError);
  });

  it('detects the cloud', () => {
    expect(detectCloud('adb-1.2.azuredatabricks.net')).toBe('azure');
    expect(detectCloud('x.databricks.azure.us')).toBe('azure');
    expect(detectCloud('1.2.gcp.databricks.com')).toBe('gcp');
    expect(detectCloud('dbc.cloud.databricks.com')).toBe('aws');
  });
});

describe('resolveConfig precedence', () => {
  it('explicit options win over env and file', () => {
    const r = resolveConfig({
      host: 'explicit.cloud.databricks.com',
      token: 'dapi-explicit',
      configFile: cfgFile,
      env: { DATABRICKS_HOST: 'env.cloud.databricks.com', DATABRICKS_TOKEN: 'dapi-env' },
    });
    expect(r).toMatchObject({ host: 'https://explicit.cloud.databricks.com', authType: 'pat', token: 'dapi-explicit' });
  });

  it('env wins over the file, attribute by attribute', () => {
    const r = resolveConfig({ configFile: cfgFile, env: { DATABRICKS_HOST: 'env.cloud.databricks.com' } });
    expect(r).toMatchObject({ host: 'https://env.cloud.databricks.com', token: 'dapi-default' });
  });

  it('reads [DEFAULT] from DATABRICKS_CONFIG_FILE', () => {
    const r = resolveConfig({ env: { DATABRICKS_CONFIG_FILE: cfgFile } });
    expect(r).toMatchObject({ host: 'https://default.cloud.databricks.com', authType: 'pat', token: 'dapi-default' });
  });

  it('reads a named profile from DATABRICKS_CONFIG_PROFILE and infers OAuth M2M', () => {
    const r = resolveConfig({ env: { DATABRICKS_CONFIG_FILE: cfgFile, DATABRICKS_CONFIG_PROFILE: 'staging' } });
    expect(r).toMatchObject({ host: 'https://adb-123.4.azuredatabricks.net', authType: 'oauth-m2m', clientId: 'sp-id', clientSecret: 'sp-secret' });
  });

  it('the profile option wins over DATABRICKS_CONFIG_PROFILE', () => {
    const r = resolveConfig({ profile: 'basic', env: { DATABRICKS_CONFIG_FILE: cfgFile, DATABRICKS_CONFIG_PROFILE: 'staging' } });
    expect(r).toMatchObject({ authType: 'basic', username: 'token', password: 'dapi-basic' });
  });

  it('env client id/secret give OAuth M2M', () => {
    const r = resolveConfig({ configFile: missingFile, env: { DATABRICKS_HOST: 'h.cloud.databricks.com', DATABRICKS_CLIENT_ID: 'id', DATABRICKS_CLIENT_SECRET: 's' } });
    expect(r.authType).toBe('oauth-m2m');
  });

  it('names the missing host', () => {
    expect(() => resolveConfig({ token: 'dapi-x', configFile: missingFile, env: {} })).toThrow(/host is not configured.*DATABRICKS_HOST/);
  });

  it('names the missing credentials', () => {
    expect(() => resolveConfig({ host: 'h', configFile: missingFile, env: {} })).toThrow(/No Databricks credentials.*DATABRICKS_TOKEN/);
    expect(() => resolveConfig({ host: 'h', clientId: 'id', configFile: missingFile, env: {} })).toThrow(/needs 'clientSecret' \(DATABRICKS_CLIENT_SECRET\)/);
    expect(() => resolveConfig({ host: 'h', authType: 'pat', clientId: 'id', clientSecret: 's', configFile: missingFile, env: {} })).toThrow(/needs 'token'/);
  });

  it('fails clearly on an unknown or unreadable profile', () => {
    expect(() => resolveConfig({ profile: 'prod', configFile: cfgFile, env: {} })).toThrow(/profile 'prod' not found/);
    expect(() => resolveConfig({ profile: 'prod', configFile: missingFile, env: {} })).toThrow(/host is not configured.*profile \[prod\]/);
    // A mistyped DATABRICKS_CONFIG_FILE is named as such, not only as a place the host was looked for.
    expect(() => resolveConfig({ profile: 'prod', configFile: missingFile, env: {} })).toThrow(`profile [prod] of ${missingFile}, which does not exist)`);
    expect(() => resolveConfig({ host: 'h', env: { DATABRICKS_CONFIG_FILE: missingFile } })).toThrow(`of ${missingFile}, which does not exist)`);
    // A profile name in the environment does not break explicit settings when the file is absent.
    expect(resolveConfig({ host: 'h', token: 'dapi-x', env: { DATABRICKS_CONFIG_PROFILE: 'prod', DATABRICKS_CONFIG_FILE: missingFile } }).host).toBe('https://h');
  });

  it('never puts a secret in a configuration error', () => {
    try {
      resolveConfig({ host: 'h', clientSecret: 'super-secret-value', configFile: missingFile, env: {} });
      expect.unreachable();
    } catch (e) {
      expect(String(e)).not.toContain('super-secret-value');
      expect(JSON.stringify(e)).not.toContain('super-secret-value');
    }
  });
});

describe('parseConfigFile', () => {
  it('handles comments, blank lines, and case of keys', () => {
    const s = parseConfigFile('# c\n[A]\nHost = x\n\n[B]\ntoken=y\n');
    expect(s.get('A')).toEqual({ host: 'x' });
    expect(s.get('B')).toEqual({ token: 'y' });
  });
});
