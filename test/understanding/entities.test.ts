import { describe, expect, it } from 'vitest';
import { findEntities } from '../../src/understanding/entities/entities.js';

// Wednesday 20 May 2026, the lender's today: "mañana" and "el viernes" count from it.
const today = new Date(2026, 4, 20, 10);
const found = (text: string) => findEntities(text, today).map(({ type, text: written, value }) => ({ type, text: written, value }));
const dated = (text: string) => findEntities(text, today).filter((e) => e.type === 'date');

describe('entities as customers write them (test/corpus/README.md)', () => {
  it.each([
    ['naci el 17/05/1990', 'el 17/05/1990', '1990-05-17'],
    ['fecha de nacimiento 17-5-90', '17-5-90', '1990-05-17'],
    ['nací el 3 de abril de 1978', 'el 3 de abril de 1978', '1978-04-03'],
    ['V-7.654.321 mayo 17 1990', 'mayo 17 1990', '1990-05-17'],
    ['nacida el 1989-02-28', 'el 1989-02-28', '1989-02-28'],
  ])('a date with its year has its ISO value: %s', (text, written, value) => {
    expect(dated(text).map((e) => [e.text, e.value])).toEqual([[written, value]]);
  });

  it.each([
    ['te pago el viernes', 'el viernes'],
    ['pago mañana sin falta', 'mañana'],
    ['pasado mañana les deposito', 'pasado mañana'],
    ['el 15 cancelo', 'el 15'],
    ['TE PAGO EL 1RO', 'EL 1RO'],
    ['cancelo el quince', 'el quince'],
    ['el dieciséis pago', 'el dieciséis'],
    ['voy a pagar a fin de mes', 'fin de mes'],
    ['les pago la quincena', 'la quincena'],
    ['esta semana no puedo', 'esta semana'],
    ['la semana que viene pago', 'la semana que viene'],
    ['el fin de semana pago', 'el fin de semana'],
    ['para el 20 de este mes me pongo al dia', 'el 20 de este mes'],
    ['mañana en la tarde te mando el pm', 'mañana'],
    ['el lunes 2 de junio en la mañana', 'el lunes 2 de junio'],
    ['mande el pago esta mañana', 'esta mañana'],
  ])('a day without a year has no value: %s', (text, written) => {
    expect(dated(text).map((e) => [e.text, e.value])).toEqual([[written, undefined]]);
  });

  it.each([
    'feliz noche',
    'quiero ver mis pagos de enero',
    'este mes no puedo',
    'tengo una semana escribiendo',
    'hace 3 dias que espero',
    'cuanto me falta ahora?',
    'me llamaron a las 6 de la mañana',
    'cuanto es el pago de la cuota 3?',
    'el 50$ que les mande',
  ])('no date in: %s', (text) => {
    expect(dated(text)).toEqual([]);
  });

  it('reads amounts with their currency, a comma as the decimal separator and "mil"', () => {
    expect(
      found('pague 50$ y $30, luego USD 45, Bs. 1.200,50, 20 dolares, 40 verdes y 50 mil bs').filter((e) => e.type === 'amount'),
    ).toEqual([
      { type: 'amount', text: '50$', value: 50 },
      { type: 'amount', text: '$30', value: 30 },
      { type: 'amount', text: 'USD 45', value: 45 },
      { type: 'amount', text: 'Bs. 1.200,50', value: 1200.5 },
      { type: 'amount', text: '20 dolares', value: 20 },
      { type: 'amount', text: '40 verdes', value: 40 },
      { type: 'amount', text: '50 mil bs', value: 50000 },
    ]);
  });

  it('reads cédulas with their letter, dotted, or bare after "cédula", and references after "ref" or standing alone', () => {
    expect(found('soy V-12.345.678')).toEqual([{ type: 'cedula', text: 'V-12.345.678', value: 'V12345678' }]);
    expect(found('cedula E-81234567')).toEqual([{ type: 'cedula', text: 'E-81234567', value: 'E81234567' }]);
    expect(found('epa, 13.579.246, 17-5-90')).toEqual([
      { type: 'cedula', text: '13.579.246', value: 'V13579246' },
      { type: 'date', text: '17-5-90', value: '1990-05-17' },
    ]);
    expect(found('mi cedula es 14567890')).toEqual([{ type: 'cedula', text: '14567890', value: 'V14567890' }]);
    expect(found('pague ref 004512')).toEqual([{ type: 'reference', text: '004512', value: '004512' }]);
    expect(found('CANCELE EL MARTES REF 0987612345')).toEqual([
      { type: 'date', text: 'EL MARTES', value: undefined },
      { type: 'reference', text: '0987612345', value: '0987612345' },
    ]);
    expect(found('transferi, el numero es 30117745')).toEqual([{ type: 'reference', text: '30117745', value: '30117745' }]);
  });
});
