import { describe, expect, it } from 'vitest';
import { sqlNotebookScript } from '../../../src/emulator/services/statements/sql-task.js';

describe('SQL notebook source → script', () => {
  it('joins cells, drops markdown cells and the header, keeps %sql cells', () => {
    const src = [
      '-- Databricks notebook source',
      'SELECT 1;',
      '-- COMMAND ----------',
      '-- MAGIC %md',
      '-- MAGIC # Title',
      '-- COMMAND ----------',
      '-- MAGIC %sql',
      'SELECT 2',
    ].join('\n');
    expect(sqlNotebookScript(src)).toBe('-- Databricks notebook source\nSELECT 1;\nSELECT 2');
  });

  it('refuses cells in other languages', () => {
    expect(() => sqlNotebookScript('SELECT 1\n-- COMMAND ----------\n-- MAGIC %python\n-- MAGIC print(1)')).toThrow(/not supported by the emulator: %python/);
  });
});
