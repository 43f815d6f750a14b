import { column, defaults, index, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';
import { refuse } from '../ops/migration-ops.js';

/**
 * The baseline: the CRM tables Charla reads. On a real database they already exist, with more
 * columns than these; they are created only where missing, and never dropped.
 */
export const clientes: TableSpec = {
  name: 'clientes',
  ownership: 'crm',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('cedula', type.varchar(20), { nullable: false }),
    column('nombres', type.varchar(100), { nullable: false }),
    column('telefono', type.varchar(100), { nullable: false }),
    column('email', type.varchar(100), { nullable: false }),
    column('direccion', type.text(), { nullable: false }),
    column('fecha_nacimiento', type.date(), { nullable: false }),
    column('ocupacion', type.varchar(100), { nullable: false }),
    column('estado', type.varchar(20), { default: defaults.value('ACTIVO') }),
    column('fecha_registro', type.timestamp(), { default: defaults.now() }),
    column('fecha_actualizacion', type.timestamp(), { default: defaults.now() }),
    column('notas', type.text()),
  ],
  indexes: [index('ix_clientes_id', ['id']), index('ix_clientes_cedula', ['cedula']), index('ix_clientes_telefono', ['telefono'])],
};

export const prestamos: TableSpec = {
  name: 'prestamos',
  ownership: 'crm',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('cliente_id', type.integer(), { nullable: false, references: { table: 'clientes', column: 'id' } }),
    column('cedula', type.varchar(20)),
    column('nombres', type.varchar(100)),
    column('total_financiamiento', type.numeric(15, 2)),
    column('fecha_requerimiento', type.date()),
    column('modalidad_pago', type.varchar(20)),
    column('numero_cuotas', type.integer()),
    column('cuota_periodo', type.numeric(15, 2)),
    column('tasa_interes', type.numeric(5, 2), { default: defaults.value(0) }),
    column('fecha_base_calculo', type.date()),
    column('producto', type.varchar(100)),
    column('estado', type.varchar(20), { default: defaults.value('DRAFT') }),
    column('fecha_registro', type.timestamp(), { default: defaults.now() }),
    column('fecha_aprobacion', type.timestamp()),
  ],
  indexes: [index('ix_prestamos_id', ['id']), index('ix_prestamos_cliente_id', ['cliente_id']), index('ix_prestamos_cedula', ['cedula'])],
};

export const cuotas: TableSpec = {
  name: 'cuotas',
  ownership: 'crm',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('prestamo_id', type.integer(), { nullable: false, references: { table: 'prestamos', column: 'id' } }),
    column('numero_cuota', type.integer()),
    column('fecha_vencimiento', type.date()),
    column('fecha_pago', type.date()),
    column('monto_cuota', type.numeric(12, 2)),
    column('saldo_capital_inicial', type.numeric(12, 2)),
    column('saldo_capital_final', type.numeric(12, 2)),
    column('total_pagado', type.numeric(12, 2), { default: defaults.value(0) }),
    column('dias_mora', type.integer(), { default: defaults.value(0) }),
    column('estado', type.varchar(20), { default: defaults.value('PENDIENTE') }),
  ],
  indexes: [
    index('ix_cuotas_id', ['id']),
    index('ix_cuotas_prestamo_id', ['prestamo_id']),
    index('ix_cuotas_fecha_vencimiento', ['fecha_vencimiento']),
  ],
};

export const pagos: TableSpec = {
  name: 'pagos',
  ownership: 'crm',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('cedula', type.varchar(20)),
    column('cliente_id', type.integer(), { references: { table: 'clientes', column: 'id' } }),
    column('prestamo_id', type.integer(), { references: { table: 'prestamos', column: 'id' } }),
    column('numero_cuota', type.integer()),
    column('fecha_pago', type.timestamp(), { nullable: false }),
    column('monto_pagado', type.numeric(12, 2), { nullable: false }),
    column('numero_documento', type.varchar(100)),
    column('institucion_bancaria', type.varchar(100)),
    column('referencia_pago', type.varchar(100)),
    column('conciliado', type.boolean()),
    column('estado', type.varchar(20), { default: defaults.value('PAGADO') }),
  ],
  indexes: [
    index('ix_pagos_id', ['id']),
    index('ix_pagos_cedula', ['cedula']),
    index('ix_pagos_cliente_id', ['cliente_id']),
    index('ix_pagos_prestamo_id', ['prestamo_id']),
  ],
};

export default defineRevision({
  revision: '20251114_05_modelos_impago_cuotas',
  downRevision: null,
  description: 'modelos impago cuotas (baseline: clientes, prestamos, cuotas, pagos)',
  async upgrade(op) {
    for (const spec of [clientes, prestamos, cuotas, pagos]) {
      if (await op.hasTable(spec.name)) op.note(`Table ${spec.name} already exists; left as it is.`);
      else await op.createTable(spec);
    }
  },
  async downgrade() {
    refuse(
      'The baseline 20251114_05_modelos_impago_cuotas cannot be downgraded: clientes, prestamos, cuotas and pagos ' +
        "hold the lender's books. Drop them by hand if you really mean to, then run 'charla db stamp --purge base'.",
    );
  },
});
