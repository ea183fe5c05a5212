/**
 * Request validation. Query strings, params and headers arrive as text, so their validator coerces
 * ("50" → 50); bodies are JSON and keep their types, so `{"name": 5}` is a 400, not the string "5".
 */
import { Ajv, type Options } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats ships CommonJS; under NodeNext its default export is the module object.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsPlugin as unknown as { default?: AddFormats }).default ?? addFormatsPlugin) as unknown as AddFormats;

const shared: Options = { allErrors: false, useDefaults: true, removeAdditional: true, strict: false };

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ ...shared, ...options });
  addFormats(ajv);
  return ajv;
}

// A body property a schema forbids is an error the client should hear about, not silently dropped.
const bodyAjv = makeAjv({ coerceTypes: false, removeAdditional: false });
const textAjv = makeAjv({ coerceTypes: 'array' });

/** Fastify validator compiler choosing the validator by request part. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object);
