import { z } from 'zod';
import type { Kysely, Updateable } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import { insertReturningId } from '../db/insert-returning-id.js';
import type { CharlaAgentesTable, Role, Tables } from '../db/tables.js';
import { CharlaError } from '../errors/charla-error.js';
import { requireStorableText, textProblem, type TextRules } from '../validation/storable-text.js';
import { hashPassword } from './password.js';

export interface NewAgent {
  email: string;
  nombre: string;
  password: string;
  rol: Role;
}

/** At least 10 characters: long passwords beat complexity rules (NIST SP 800-63B). */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * The text fields of agents and tokens, sized to their columns (revision 20261125_04_agentes_api):
 * used by the routes' schemas and, for the CLI, by the functions below.
 */
export const AGENT_TEXT = {
  email: { min: 3, max: 200 },
  nombre: { min: 1, max: 200 },
  /** Only its hash is stored; the limit keeps hashing cheap. Taken as typed (not trimmed). */
  password: { min: MIN_PASSWORD_LENGTH, max: 1024, trim: false },
  tokenNombre: { min: 1, max: 100 },
} as const satisfies Record<string, TextRules>;

export const ROLES = ['admin', 'agente'] as const satisfies readonly Role[];

export function validRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new CharlaError('INPUT_INVALID', `The role (rol) must be admin or agente, not "${role}".`);
  return role as Role;
}

export function validAgentName(nombre: string): string {
  return requireStorableText("The agent's name (nombre)", nombre, AGENT_TEXT.nombre);
}

export function validPassword(password: string): string {
  return requireStorableText('The password', password, AGENT_TEXT.password);
}

/** The agent as stored (e-mail trimmed and lower-cased, name trimmed), or INPUT_INVALID naming the field. */
export function validNewAgent(agent: NewAgent): NewAgent {
  const email = requireStorableText('The e-mail', agent.email, AGENT_TEXT.email).toLowerCase();
  if (!z.email().safeParse(email).success)
    throw new CharlaError('INPUT_INVALID', `${JSON.stringify(agent.email)} is not an e-mail address.`);
  return { email, nombre: validAgentName(agent.nombre), password: validPassword(agent.password), rol: validRole(agent.rol) };
}

const agentExists = (email: string, found: { id?: number; cause?: unknown }) =>
  new CharlaError(
    'AGENT_EXISTS',
    `An agent with e-mail ${email} exists already${found.id === undefined ? '' : ` (id ${found.id})`}.`,
    found.cause === undefined ? undefined : { cause: found.cause },
  );

/** Adds an agent (checked by validNewAgent, the password stored as its hash); AGENT_EXISTS when the e-mail is taken. */
export async function createAgent(db: Kysely<Tables>, support: DialectSupport, agent: NewAgent): Promise<number> {
  const { email, nombre, password, rol } = validNewAgent(agent);
  const existing = await db.selectFrom('charla_agentes').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw agentExists(email, { id: existing.id });
  const clave_hash = await hashPassword(password);
  try {
    return await insertReturningId(db, support, 'charla_agentes', { email, nombre, clave_hash, rol });
  } catch (error) {
    // Another request added the same e-mail between the check and the insert: the unique index decides.
    if (support.isUniqueViolation(error)) throw agentExists(email, { cause: error });
    throw error;
  }
}

/** What the API and the CLI show of an agent (never the password hash). */
const AGENT_COLUMNS = ['id', 'email', 'nombre', 'rol', 'activo', 'creado_en', 'ultimo_ingreso_en'] as const;

export interface AgentRow {
  id: number;
  email: string;
  nombre: string;
  rol: Role;
  activo: boolean;
  creado_en: Date;
  ultimo_ingreso_en: Date | null;
}

/** Every agent, by id. */
export async function listAgents(db: Kysely<Tables>): Promise<AgentRow[]> {
  return db.selectFrom('charla_agentes').select(AGENT_COLUMNS).orderBy('id').execute();
}

export async function findAgent(db: Kysely<Tables>, id: number): Promise<AgentRow | undefined> {
  return db.selectFrom('charla_agentes').select(AGENT_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** True when at least one agent exists. */
export async function anyAgentExists(db: Kysely<Tables>): Promise<boolean> {
  return (await db.selectFrom('charla_agentes').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** The agent signing in with this e-mail (trimmed and lower-cased here), with the password hash; undefined when none. */
export async function agentForSignIn(db: Kysely<Tables>, email: string) {
  const normalised = email.trim().toLowerCase();
  // An e-mail no column could hold (NUL, say) belongs to no agent; PostgreSQL would refuse the query.
  if (textProblem(normalised, AGENT_TEXT.email) !== null) return undefined;
  return db.selectFrom('charla_agentes').selectAll().where('email', '=', normalised).executeTakeFirst();
}

/** The ids of the active admins, their rows locked (FOR UPDATE) until the transaction `trx` ends. */
export async function lockActiveAdminIds(trx: Kysely<Tables>): Promise<number[]> {
  const rows = await trx
    .selectFrom('charla_agentes')
    .select('id')
    .where('rol', '=', 'admin')
    .where('activo', '=', true)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((row) => row.id);
}

/** The agent's role and whether they may sign in, the row locked (FOR UPDATE); undefined when there is no agent `id`. */
export async function lockAgent(trx: Kysely<Tables>, id: number): Promise<{ id: number; rol: Role; activo: boolean } | undefined> {
  return trx.selectFrom('charla_agentes').select(['id', 'rol', 'activo']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Writes the given columns of agent `id` (and `actualizado_en`). */
export async function updateAgentRow(
  db: Kysely<Tables>,
  id: number,
  changes: Pick<Updateable<CharlaAgentesTable>, 'nombre' | 'rol' | 'activo' | 'clave_hash'>,
): Promise<void> {
  await db
    .updateTable('charla_agentes')
    .set({ ...changes, actualizado_en: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Notes a sign-in (`ultimo_ingreso_en`) and, when given, replaces the password hash (an imported bcrypt one, now verified). */
export async function recordSignIn(db: Kysely<Tables>, id: number, now: Date, newHash?: string): Promise<void> {
  await db
    .updateTable('charla_agentes')
    .set({ ultimo_ingreso_en: now, ...(newHash === undefined ? {} : { clave_hash: newHash, actualizado_en: now }) })
    .where('id', '=', id)
    .execute();
}
