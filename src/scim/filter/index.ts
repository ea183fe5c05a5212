/** SCIM filters and paths: parse (RFC 7644 §3.4.2.2, §3.5.2), print, check and evaluate. */
export * from './ast.js';
export { DEFAULT_FILTER_LIMITS, parseFilter, parsePatchPath, type FilterLimits, type FilterOptions } from './parser.js';
export { isAttrName, parseAttributeList, printAttrPath } from './attr-path.js';
export { printFilter, printPatchPath, printValue } from './print-filter.js';
export { checkComparison, compareValue, parseDateTime } from './compare.js';
export { checkElementFilter, checkFilter, comparedDef } from './check-filter.js';
export { matchesElement, matchesFilter, matchingIndexes } from './evaluate.js';
export { asArray, getCaseInsensitive, isPlainObject, isPresent } from './resource-access.js';
