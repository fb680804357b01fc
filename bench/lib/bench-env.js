// What every benchmark needs to read its knobs and write its table: numbers from the environment with a
// clear error when one is not a positive number, and text made safe for a markdown table cell.

export function positiveNumber(env, name, fallback) {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${env[name]}"`);
  return value;
}

export function positiveInteger(env, name, fallback) {
  const value = positiveNumber(env, name, fallback);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a positive integer, got "${env[name]}"`);
  return value;
}

/** A pipe would end the cell early. */
export function escapeCell(text) {
  return text.replaceAll('|', '\\|');
}
