import { expect, it } from 'vitest';
import { todayIn } from '../src/config/config.js';
import { customerFinances } from '../src/crm/customer-finance.repository.js';
import { customersByNumber } from '../src/customers/customer-phone.repository.js';
import { loadDemo } from '../src/demo/demo.service.js';
import { migratorFor } from './helpers/migrations.js';
import { describeEachDatabase } from './helpers/test-database.js';

describeEachDatabase('charla demo', ({ fresh }) => {
  it('loads customers identifiable by WhatsApp number, with loans, overdue instalments and payments — once', async () => {
    const database = await (await fresh()).open();
    try {
      await migratorFor(database).migrator.upgrade('head');
      const customers = await loadDemo(database, 'America/Caracas', '58');
      expect(customers).not.toBeNull();
      const all = customers ?? [];
      expect(all.length).toBeGreaterThanOrEqual(20);

      // Every CRM phone format (docs/crm-data.md) appears, and each customer is recognised by their WhatsApp number.
      const formats = all.map((c) => c.telefono);
      expect(formats.some((t) => /^\+58\d{10}$/.test(t))).toBe(true);
      expect(formats.some((t) => /^0\d{10}$/.test(t))).toBe(true);
      expect(formats.some((t) => /^\d{3}-\d{7}$/.test(t))).toBe(true);
      expect(formats.some((t) => /^\+58 \d{3} \d{7}$/.test(t))).toBe(true);
      expect(formats.some((t) => t.includes(' / '))).toBe(true);
      const identified = await customersByNumber(
        database.kysely,
        all.map((c) => c.whatsapp),
      );
      expect(all.map((c) => identified.get(c.whatsapp))).toEqual(all.map((c) => c.id));

      // The demo's dates are the lender's (America/Caracas), which is the day before UTC's in the evening.
      const today = todayIn('America/Caracas');
      const finances = await Promise.all(all.map((c) => customerFinances(database.kysely, c.id, today)));
      expect(finances.filter((f) => f.overdue.length > 0).length).toBeGreaterThan(0);
      expect(finances.filter((f) => f.overdue.length === 0 && f.balanceCents > 0).length).toBeGreaterThan(0);
      expect(finances.filter((f) => f.lastPayments.length > 0).length).toBeGreaterThan(0);
      expect(finances.some((f) => f.loans.some((l) => l.estado !== 'APROBADO'))).toBe(true);

      expect(await loadDemo(database, 'America/Caracas', '58')).toBeNull();
    } finally {
      await database.close();
    }
  });
});
