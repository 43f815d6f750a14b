/**
 * The body a media message gets when it comes without a caption (docs/webhook.md): `[imagen]`,
 * `[documento] comprobante.pdf`… Readers that show the caption apart (the thread, the simulator)
 * tell a placeholder from a caption with `isMediaPlaceholder`.
 */
export const MEDIA_PLACEHOLDER: Readonly<Record<string, string>> = {
  image: '[imagen]',
  video: '[video]',
  audio: '[audio]',
  document: '[documento]',
  sticker: '[sticker]',
};
export const VOICE_NOTE_PLACEHOLDER = '[nota de voz]';

const PLACEHOLDER_BODY = /^\[(imagen|video|audio|nota de voz|documento|sticker)\]( .*)?$/s;

export function isMediaPlaceholder(body: string): boolean {
  return PLACEHOLDER_BODY.test(body);
}
