import type { Selectable } from 'kysely';
import type { ConversacionesWhatsappTable } from '../db/tables.js';

/** A `conversaciones_whatsapp` row as the API returns it: every column, timestamps ISO 8601 UTC. */
export interface MessageRow {
  id: number;
  message_id: string | null;
  from_number: string;
  to_number: string;
  message_type: string;
  body: string | null;
  /** Null only for a stored value no JavaScript date can hold (`infinity`, a MySQL zero date). */
  timestamp: string | null;
  direccion: 'INBOUND' | 'OUTBOUND';
  cliente_id: number | null;
  procesado: boolean;
  respuesta_enviada: boolean;
  respuesta_id: number | null;
  respuesta_bot: string | null;
  respuesta_meta_id: string | null;
  error: string | null;
  creado_en: string | null;
  actualizado_en: string | null;
}

/** The columns, in the table's order: the API selects exactly these. */
export const MESSAGE_COLUMNS = [
  'id',
  'message_id',
  'from_number',
  'to_number',
  'message_type',
  'body',
  'timestamp',
  'direccion',
  'cliente_id',
  'procesado',
  'respuesta_enviada',
  'respuesta_id',
  'respuesta_bot',
  'respuesta_meta_id',
  'error',
  'creado_en',
  'actualizado_en',
] as const;

/** MySQL returns booleans as 0/1 and PostgreSQL returns dates as Date: one shape for all three. */
export function toMessageRow(row: Selectable<ConversacionesWhatsappTable>): MessageRow {
  return {
    ...row,
    procesado: Boolean(row.procesado),
    respuesta_enviada: Boolean(row.respuesta_enviada),
    timestamp: isoTimestamp(row.timestamp),
    creado_en: isoTimestamp(row.creado_en),
    actualizado_en: isoTimestamp(row.actualizado_en),
  };
}

/**
 * ISO 8601 UTC (with the extended `+010000-…` form past year 9999); null for a value that is not a
 * date at all, so one odd stored value never breaks a read for everyone.
 */
export function isoTimestamp(date: Date | null): string | null {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}
