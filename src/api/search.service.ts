import { findCustomers, numbersOfCustomers } from '../customers/customer-search.repository.js';
import type { Database } from '../db/database.js';
import type { CustomerMatch } from './customers.schemas.js';
import { isoTimestamp } from './message-row.js';
import type { SearchResult } from './search.schemas.js';
import { conversationsMatching, messagesMatching } from './search.repository.js';
import { searchTerms, snippet } from './search-terms.js';

/** Customers whose conversations a search looks for, at most. */
const CUSTOMERS_PER_SEARCH = 200;

/** Customers the customer search answers, at most. */
export const CUSTOMER_MATCHES = 20;

/**
 * The inbox's search (docs/api.md, "Search"): conversations by the customer's name, cédula or
 * phone, by the number itself or the WhatsApp profile name; messages by the words of their body,
 * along the full-text index.
 */
export async function search(database: Database, text: string, limit: number, defaultCallingCode: string): Promise<SearchResult> {
  const { kysely: db, support } = database;
  const terms = searchTerms(text, defaultCallingCode);
  // The two halves do not depend on each other: they run at once, on two connections of the pool.
  const findConversations = async () => {
    const customers = await findCustomers(db, support, terms, CUSTOMERS_PER_SEARCH);
    const ids = customers.map((c) => c.id);
    const numbers = [...(await numbersOfCustomers(db, ids)), ...(terms.phone ? [terms.phone] : [])];
    return conversationsMatching(db, support, { clienteIds: ids, numbers, digits: terms.digits, profileWords: terms.nameWords }, limit);
  };
  const [conversations, messages] = await Promise.all([findConversations(), messagesMatching(db, support, terms.words, limit)]);
  return {
    conversaciones: conversations.map((c) => ({
      wa_number: c.wa_number,
      cliente: c.cliente_id !== null && c.nombres !== null ? { id: c.cliente_id, nombres: c.nombres } : null,
      profile_name: c.profile_name,
    })),
    mensajes: messages.map((m) => ({
      id: m.id,
      wa_number: m.direccion === 'INBOUND' ? m.from_number : m.to_number,
      direccion: m.direccion,
      body: snippet(m.body ?? '', terms.words),
      timestamp: isoTimestamp(m.timestamp),
    })),
  };
}

/** Customers to link a number to: by cédula in any format, part of the name (case and accents ignored), or phone. */
export async function searchCustomers(database: Database, text: string, defaultCallingCode: string): Promise<CustomerMatch[]> {
  const terms = searchTerms(text, defaultCallingCode);
  return findCustomers(database.kysely, database.support, terms, CUSTOMER_MATCHES);
}
