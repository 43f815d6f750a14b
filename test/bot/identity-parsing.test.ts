import { describe, expect, it } from 'vitest';
import { cedulaDigits, parseBirthDate, parseCedula } from '../../src/bot/identity-parsing.js';

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
    ['17/05/1990', '1990-05-17'],
    ['17-5-90', '1990-05-17'],
    ['17 de mayo de 1990', '1990-05-17'],
    ['mayo 17 1990', '1990-05-17'],
    ['Mayo 17, 1990', '1990-05-17'],
    ['17 mayo 90', '1990-05-17'],
    ['14 de oct del 78', '1978-10-14'],
    ['catorce de octubre del 78', '1978-10-14'],
    ['Treinta y uno de dic. de 1980', '1980-12-31'],
    ['primero de sept 1975', '1975-09-01'],
    ['31 de febrero de 1990', null],
    ['30/02/1990', null],
    ['no recuerdo', null],
  ])('date of birth %s → %s', (text, date) => {
    expect(parseBirthDate(text, new Date('2026-11-25T00:00:00Z'))).toBe(date);
  });
});
