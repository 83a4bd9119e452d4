/**
 * Request validation with TypeBox's compiler instead of Fastify's default Ajv setup, which
 * coerces body types ("5" → 5) and strips unknown properties silently. Here bodies are
 * checked strictly; only query strings and path params (always strings on the wire) are
 * converted to the schema's types first.
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';

/**
 * Converts a flat query/params object: only plain decimal strings become integers ("1e3",
 * "0x10", " 5" stay strings and then fail validation). Typebox's Value.Convert is laxer.
 */
function convertFlat(schema: TSchema, input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const props = (schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    const type = props[k]?.type;
    out[k] =
      (type === 'integer' || type === 'number') &&
      typeof v === 'string' &&
      /^(0|[1-9]\d{0,15})$/.test(v)
        ? Number(v)
        : v;
  }
  return out;
}

/** Installs the strict validator on the app (before routes are added). */
export function installValidator(app: FastifyInstance): void {
  const compiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
    const check = TypeCompiler.Compile(schema);
    const convert = httpPart === 'querystring' || httpPart === 'params';
    return (input: unknown) => {
      const value = convert ? convertFlat(schema, input) : input;
      if (check.Check(value)) return { value };
      const first = check.Errors(value).First();
      const where =
        first === undefined || first.path === '' ? httpPart : `${httpPart}${first.path}`;
      // The message names the field and the rule, never echoes the value.
      return { error: new Error(`${where}: ${first?.message ?? 'invalid'}`) };
    };
  };
  app.setValidatorCompiler(compiler);
}
