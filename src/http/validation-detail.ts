/**
 * The Spanish `detail` of a request that does not fit its route's schema: one sentence per
 * problem, naming the field as the request spells it ("El campo per_page no es válido: debe ser
 * 100 o menos."). The English `error.message` stays Fastify's; this is what an agent reads.
 */

/** One entry of a Fastify validation error, as fastify-type-provider-zod fills it from a zod issue. */
export interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

const TYPES: Record<string, string> = {
  number: 'un número',
  int: 'un número entero',
  string: 'un texto',
  boolean: 'true o false',
  object: 'un objeto JSON',
  array: 'una lista',
  date: 'una fecha',
};

const NUMERIC = new Set(['number', 'int', 'bigint']);

/** The rule broken, as the end of a Spanish sentence; null when there is nothing clearer to say than "no es válido". */
function rule(issue: ValidationIssue): string | null {
  const p = issue.params;
  switch (issue.keyword) {
    case 'invalid_type':
      return `debe ser ${TYPES[String(p.expected)] ?? String(p.expected)}`;
    case 'too_small':
      if (p.origin === 'string') return p.minimum === 1 ? 'no puede estar vacío' : `debe tener al menos ${String(p.minimum)} caracteres`;
      if (NUMERIC.has(String(p.origin)))
        return p.inclusive ? `debe ser ${String(p.minimum)} o más` : `debe ser mayor que ${String(p.minimum)}`;
      return `debe tener al menos ${String(p.minimum)} elementos`;
    case 'too_big':
      if (p.origin === 'string') return `debe tener como máximo ${String(p.maximum)} caracteres`;
      if (NUMERIC.has(String(p.origin)))
        return p.inclusive ? `debe ser ${String(p.maximum)} o menos` : `debe ser menor que ${String(p.maximum)}`;
      return `debe tener como máximo ${String(p.maximum)} elementos`;
    case 'invalid_value': {
      const values = Array.isArray(p.values) ? p.values.map(String) : [];
      if (values.length === 1) return `debe ser ${values[0]}`;
      return values.length > 1 ? `debe ser ${values.slice(0, -1).join(', ')} o ${values.at(-1)}` : null;
    }
    case 'invalid_format':
      return p.format === 'email' ? 'debe ser una dirección de correo' : 'no tiene la forma esperada';
    case 'custom': {
      // Charla's own refinements (storableText) put their Spanish rule in the issue's params.
      const detalle = (p.params as { detalle?: unknown } | undefined)?.detalle;
      return typeof detalle === 'string' ? detalle : null;
    }
    default:
      return null;
  }
}

function sentence(issue: ValidationIssue): string {
  const field = issue.instancePath.split('/').filter(Boolean).join('.');
  // zod reports a value that is absent as the wrong type, "received undefined".
  const missing = issue.keyword === 'invalid_type' && /received undefined/.test(issue.message ?? '');
  if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params.keys)) {
    const keys = issue.params.keys.map(String);
    return keys.length === 1 ? `El campo ${keys[0]} no se admite.` : `Los campos ${keys.join(', ')} no se admiten.`;
  }
  if (!field)
    return missing ? 'Falta el cuerpo de la solicitud (JSON).' : 'El cuerpo de la solicitud no es válido: debe ser un objeto JSON.';
  if (missing) return `Falta el campo ${field}.`;
  const broken = rule(issue);
  return broken ? `El campo ${field} no es válido: ${broken}.` : `El campo ${field} no es válido.`;
}

/** The sentences of a validation error's issues, each problem once. */
export function validationDetail(issues: readonly ValidationIssue[]): string {
  return [...new Set(issues.map(sentence))].join(' ');
}
