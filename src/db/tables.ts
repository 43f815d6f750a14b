import type { ColumnType, Generated } from 'kysely';

/** Typed rows of the tables Charla reads and writes (names as in the CRM's schema). */
export interface AlembicVersionTable {
  version_num: string;
}

export interface ConversacionesWhatsappTable {
  id: Generated<number>;
  message_id: string | null;
  from_number: string;
  to_number: string;
  message_type: string;
  body: string | null;
  timestamp: Date;
  direccion: 'INBOUND' | 'OUTBOUND';
  cliente_id: number | null;
  procesado: ColumnType<boolean, boolean | undefined, boolean>;
  respuesta_enviada: ColumnType<boolean, boolean | undefined, boolean>;
  respuesta_id: number | null;
  respuesta_bot: string | null;
  respuesta_meta_id: string | null;
  error: string | null;
  creado_en: ColumnType<Date, Date | undefined, Date>;
  actualizado_en: ColumnType<Date, Date | undefined, Date>;
}

export interface ClientesTable {
  id: Generated<number>;
  cedula: string;
  nombres: string;
  telefono: string;
  email: string;
  direccion: string;
  fecha_nacimiento: string;
  ocupacion: string;
  estado: ColumnType<string | null, string | undefined, string>;
  fecha_registro: Date | null;
  fecha_actualizacion: Date | null;
  notas: string | null;
}

export interface Tables {
  alembic_version: AlembicVersionTable;
  conversaciones_whatsapp: ConversacionesWhatsappTable;
  clientes: ClientesTable;
}
