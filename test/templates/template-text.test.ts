import { describe, expect, it } from 'vitest';
import { plainText, toGraphPayload } from '../../src/graph/client-message.js';
import { fillPlaceholders, renderTemplate, templateBody, templateExample, templateVariables } from '../../src/templates/template-text.js';

describe('template and canned-reply text', () => {
  it('fills the placeholders it knows, leaving unknown values and template variables for the agent to see', () => {
    const data = { nombre: 'Ana', saldo: '$150.00', proxima_cuota: null, fecha_proxima: '5 de marzo de 2026' };
    expect(fillPlaceholders('¡Hola, {nombre}! Debes {saldo}; cuota {proxima_cuota} el {fecha_proxima}.', data)).toBe(
      '¡Hola, Ana! Debes $150.00; cuota {proxima_cuota} el 5 de marzo de 2026.',
    );
    expect(fillPlaceholders('{{1}} y {otro} y {toString}', { nombre: 'Ana' })).toBe('{{1}} y {otro} y {toString}');
    // A value is put in as it is: a value holding "{saldo}" is not filled again.
    expect(fillPlaceholders('{nombre} {saldo}', { nombre: '{saldo}', saldo: '$1' })).toBe('{saldo} $1');
  });

  it("reads a template's body, its variables in order, and renders it with parameters or Meta's example", () => {
    const componentes = JSON.stringify([
      { type: 'HEADER', format: 'TEXT', text: 'Aviso' },
      {
        type: 'BODY',
        text: 'Hola {{1}}, tu cuota de {{2}} vence el {{3}}. ¡Gracias, {{1}}!',
        example: { body_text: [['Ana', '$50', 'mañana']] },
      },
    ]);
    const body = templateBody(componentes) as string;
    expect(templateVariables(body)).toEqual(['1', '2', '3']);
    expect(templateVariables('{{2}} antes que {{1}} y {{10}}')).toEqual(['1', '2', '10']);
    expect(renderTemplate(body, ['Luis', '$20', 'hoy'])).toBe('Hola Luis, tu cuota de $20 vence el hoy. ¡Gracias, Luis!');
    expect(renderTemplate(body, templateExample(componentes))).toBe('Hola Ana, tu cuota de $50 vence el mañana. ¡Gracias, Ana!');
    expect(renderTemplate(body, ['Luis'])).toBe('Hola Luis, tu cuota de {{2}} vence el {{3}}. ¡Gracias, Luis!');
    expect(templateBody('not json')).toBeNull();
    expect(templateBody([{ type: 'FOOTER', text: 'x' }])).toBeNull();
    expect(templateVariables(null)).toEqual([]);
  });

  it('shows a template message in the thread by its rendered text; Meta gets only the name, language and parameters', () => {
    const message = {
      kind: 'template' as const,
      name: 'pago_recibido',
      language: 'es',
      parameters: ['Ana', '$50'],
      body: 'Hola Ana, recibimos $50.',
    };
    expect(plainText(message)).toBe('Hola Ana, recibimos $50.');
    expect(plainText({ ...message, body: undefined })).toBe('[plantilla pago_recibido] Ana | $50');
    expect(toGraphPayload('584121234567', message)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '584121234567',
      type: 'template',
      template: {
        name: 'pago_recibido',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: '$50' },
            ],
          },
        ],
      },
    });
  });
});
