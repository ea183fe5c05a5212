/** A user's mapped attributes: each active attribute read from its source and converted to its type. */
import { convert } from './convert.js';
import { readSource, type SourcePath } from './source-path.js';
import type { ActiveAttribute, AttributeValues, ConversionProblem } from './types.js';

/** An active attribute with its parsed source, or none when the connection maps it to nothing. */
export interface CompiledMapping {
  attribute: ActiveAttribute;
  source?: SourcePath;
}

/** The values of one user, and the attributes whose source value did not convert. */
export interface Evaluation {
  values: AttributeValues;
  problems: ConversionProblem[];
}

/** Evaluates every mapping against a stored SCIM user. Never throws for what the provider sent. */
export function evaluateAttributes(resource: Record<string, unknown>, mappings: readonly CompiledMapping[]): Evaluation {
  const values: AttributeValues = {};
  const problems: ConversionProblem[] = [];
  for (const { attribute, source } of mappings) {
    if (!source) {
      values[attribute.key] = null;
      continue;
    }
    const converted = convert(readSource(resource, source), attribute.type);
    values[attribute.key] = converted.value;
    if (converted.problem !== undefined) problems.push({ key: attribute.key, reason: converted.problem });
  }
  return { values, problems };
}
