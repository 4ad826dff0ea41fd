import type { Binding } from './duck-binding.js';
import type { Token } from './lexer.js';
import { readWithoutColumns, schemaMismatch, type SchemalessTables } from './schemaless.js';
import { statementAccess } from './statement-access.js';
import type { QualifiedName } from './translate.js';

/**
 * Refuses a statement that reads or writes a schemaless table before it runs (its DuckDB table has
 * only the placeholder column, which must never reach a result). As Delta does: a read fails with
 * DELTA_READ_TABLE_WITHOUT_COLUMNS, an INSERT or MERGE into it with the schema mismatch error (the
 * docs: "INSERT INTO and MERGE INTO are not supported to write data into schemaless Delta tables").
 * UPDATE, DELETE and TRUNCATE go on to DuckDB: there are no rows to change.
 */
export async function refuseSchemalessUse(
  tokens: readonly Token[],
  tables: SchemalessTables,
  bind: (name: QualifiedName) => Promise<Binding | undefined>,
  tableId: (catalog: string, schema: string, table: string) => string,
): Promise<void> {
  if (await tables.none()) return;
  const access = statementAccess(tokens as Token[]);
  const named = [...access.reads, ...access.modifies];
  if (!(await tables.mayName(named.map((n) => n.at(-1) ?? '')))) return;
  const schemaless = async (name: QualifiedName) => {
    const b = await bind(name);
    return b && !b.temporary && (await tables.has(b.catalog, b.schema, b.table)) ? b : undefined;
  };
  for (const name of access.reads) {
    const b = await schemaless(name);
    if (b) throw readWithoutColumns(b.catalog, b.schema, b.table);
  }
  const first = tokens[0]?.kind === 'word' ? tokens[0].value : '';
  if (first !== 'INSERT' && first !== 'MERGE') return;
  for (const name of access.modifies) {
    const b = await schemaless(name);
    if (b) throw schemaMismatch(tableId(b.catalog, b.schema, b.table), 'The table has no columns yet: COPY INTO … COPY_OPTIONS (\'mergeSchema\' = \'true\') gives it the columns of its files.');
  }
}
