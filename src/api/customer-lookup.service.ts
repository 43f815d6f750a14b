import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import { customerOfNumber, customersWithNumber } from './customers.repository.js';

/** The original API's `buscar-cliente` answer for a normalised number. */
export interface NumberLookup {
  cliente_encontrado: boolean;
  cliente: Awaited<ReturnType<typeof customerOfNumber>> | null;
  /** When several customers' records hold the number (so it identifies nobody): who it may be, by id. Empty otherwise. */
  candidatos: { id: number; nombres: string }[];
}

/**
 * Whose number it is, by the same rule as the bot and an agent's send (a link first, then the
 * phone index, where a number shared by two customers identifies nobody): a number of nobody's is
 * an answer, not an error, and a shared one names its candidates so an agent can link the right one.
 */
export async function lookUpNumber(db: Kysely<Tables>, number: string): Promise<NumberLookup> {
  const cliente = await customerOfNumber(db, number);
  if (cliente) return { cliente_encontrado: true, cliente, candidatos: [] };
  return { cliente_encontrado: false, cliente: null, candidatos: await customersWithNumber(db, number) };
}
