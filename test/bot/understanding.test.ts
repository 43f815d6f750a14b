import { describe, expect, it } from 'vitest';
import { cedulaDigits, parseBirthDate, parseCedula } from '../../src/bot/identity-parsing.js';
import { detectIntents, menuChoice } from '../../src/bot/intents.js';

describe('what customers ask', () => {
  it.each([
    ['hola', ['greeting']],
    ['HOLA BUENAS TARDES', ['greeting']],
    ['cuanto debo', ['balance']],
    ['¿Cuánto debo?', ['balance']],
    ['kuanto debo', ['balance']],
    ['¿cuándo es mi próxima cuota?', ['next_instalment']],
    ['cuando es mi proxima quota', ['next_instalment']],
    ['¿tengo cuotas atrasadas?', ['overdue']],
    ['cuantos dias de atraso tengo', ['overdue']],
    ['quiero ver mis ultimos pagos', ['payments']],
    ['como pago? me pasas los datos bancarios', ['how_to_pay']],
    ['quiero hablar con un asesor', ['agent']],
    ['estado de mi prestamo', ['loans']],
    ['muchas gracias!!', ['thanks']],
    ['Hola, cuánto debo y cuándo vence la próxima cuota?', ['greeting', 'balance', 'next_instalment']],
  ])('%s → %j', (text, intents) => {
    expect(detectIntents(text)).toEqual(intents);
  });

  it('matches words, never substrings: "hi" is not in "chibi", "ola" is not in "cola"', () => {
    expect(detectIntents('hi')).toEqual(['greeting']);
    expect(detectIntents('me gusta chibi')).toEqual([]);
    expect(detectIntents('una cola larga')).toEqual([]);
    expect(detectIntents('[documento] recibo.pdf')).toEqual([]);
  });

  it('understands the numbered menu and interactive replies', () => {
    expect(menuChoice('1', null)).toBe('balance');
    expect(menuChoice(' 7 ', null)).toBe('agent');
    expect(menuChoice('9', null)).toBeNull();
    expect(menuChoice('Próxima cuota', 'menu_proxima')).toBe('next_instalment');
    expect(menuChoice('tengo 2 cuotas', null)).toBeNull();
  });
});

describe('identity answers', () => {
  it.each([
    ['V-12345678', '12345678'],
    ['v 12.345.678', '12345678'],
    ['mi cedula es 12345678', '12345678'],
    ['E-8123456', '8123456'],
  ])('cédula %s → %s', (text, digits) => {
    expect(parseCedula(text)).toBe(digits);
  });

  it('finds no cédula in a phone number, a date or plain words', () => {
    expect(parseCedula('04121234567')).toBeNull();
    expect(parseCedula('04/03/1985')).toBeNull();
    expect(parseCedula('no la tengo a mano')).toBeNull();
    expect(cedulaDigits('V-12.345.678')).toBe('12345678');
  });

  it.each([
    ['04/03/1985', '1985-03-04'],
    ['4-3-85', '1985-03-04'],
    ['1985-03-04', '1985-03-04'],
    ['4 de marzo de 1985', '1985-03-04'],
    ['nací el 4 de Marzo del 1985', '1985-03-04'],
    ['30/02/1990', null],
    ['no recuerdo', null],
  ])('date of birth %s → %s', (text, date) => {
    expect(parseBirthDate(text, new Date('2026-11-25T00:00:00Z'))).toBe(date);
  });
});
