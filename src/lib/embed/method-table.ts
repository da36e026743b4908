/**
 * The whole v1 method table the bridge dispatches: the first release's methods plus each
 * chapter's. Kept apart from `methods.ts` so chapter files can use its helpers without an
 * import cycle.
 */
import { CORE_METHODS, type EmbedMethod, type EmbedMethodTable } from './methods';
import { PREPARE_METHODS } from './prepare-methods';
import { CLASSIFY_METHODS } from './classify-methods';
import { FORECAST_METHODS } from './forecast-methods';
import { SEGMENTS_METHODS } from './segments-methods';
import { RECOMMEND_METHODS } from './recommend-methods';

/** The v1 methods. Keys are the wire names. */
export const EMBED_METHODS = {
  ...CORE_METHODS,
  ...PREPARE_METHODS,
  ...FORECAST_METHODS,
  ...SEGMENTS_METHODS,
  ...RECOMMEND_METHODS,
  ...CLASSIFY_METHODS,
} satisfies EmbedMethodTable;

export type EmbedMethodName = keyof typeof EMBED_METHODS;

/** The result type of a v1 method, for typed host wrappers. */
export type EmbedResultOf<M extends EmbedMethodName> =
  (typeof EMBED_METHODS)[M] extends EmbedMethod<unknown, infer R> ? R : never;
