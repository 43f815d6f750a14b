import { defaults } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/**
 * The naming rule of docs/glossary.md applied to the sign-in tables, which revision
 * 20261126_01_nombres_en_espanol left for the rework of src/auth: the password's hash and the
 * role value `agent`. The other columns of `charla_agentes`, `charla_sesiones` and
 * `charla_tokens_api` follow the rule already (`token_hash`: `token` and `hash` count as Spanish).
 */

/** [table, old name, new name]. */
export const renamedColumns: readonly (readonly [string, string, string])[] = [['charla_agentes', 'password_hash', 'clave_hash']];

/** [table, column, old value, new value]: the role columns, whose default is that value too. */
export const translatedRoles: readonly (readonly [string, string, string, string])[] = [
  ['charla_agentes', 'rol', 'agent', 'agente'],
  ['charla_tokens_api', 'rol', 'agent', 'agente'],
];

/** The UPDATEs that translate the roles. Safe to run twice: the second run finds no row with the old value. */
function translations(direction: 'up' | 'down'): string[] {
  return translatedRoles.map(([table, column, english, spanish]) => {
    const [from, to] = direction === 'up' ? [english, spanish] : [spanish, english];
    return `UPDATE ${table} SET ${column} = '${to}' WHERE ${column} = '${from}'`;
  });
}

export default defineRevision({
  revision: '20261126_02_nombres_agentes',
  downRevision: '20261126_01_nombres_en_espanol',
  description: 'the sign-in tables in Spanish: clave_hash, the role agente (docs/glossary.md)',
  // Renames and defaults first, values after: a run interrupted anywhere (MySQL/MariaDB commit each
  // statement) completes on the next, since every rename and default checks first and the UPDATEs
  // find only the rows still to change.
  async upgrade(op) {
    for (const [table, from, to] of renamedColumns) await op.renameColumn(table, from, to);
    for (const [table, column, , spanish] of translatedRoles) await op.setColumnDefault(table, column, defaults.value(spanish));
    for (const statement of translations('up')) await op.execute(statement);
  },
  async downgrade(op) {
    for (const [table, from, to] of [...renamedColumns].reverse()) await op.renameColumn(table, to, from);
    for (const [table, column, english] of [...translatedRoles].reverse())
      await op.setColumnDefault(table, column, defaults.value(english));
    for (const statement of translations('down')) await op.execute(statement);
  },
});
