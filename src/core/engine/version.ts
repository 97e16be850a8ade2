/** Bumped whenever a computation changes, so a statement says which engine made it. */
export const ENGINE_VERSION = '0.1.0';
