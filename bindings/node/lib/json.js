'use strict';
// JSON with integers of any size: `parse` reads an integer literal past 2^53 - 1 as a
// bigint (so an `OwnerId` of 9223372036854775807 keeps every digit), and `stringify`
// writes a bigint as a plain JSON number. Everything else is as JSON.parse and
// JSON.stringify have it. Used for `AccessDeniedDetail` values and by the corpus adapter.

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * @param {string} text
 * @returns {unknown}
 */
function parse(text) {
  let at = 0;
  const fail = (what) => {
    throw new SyntaxError(`${what} in JSON at position ${at}`);
  };
  const space = () => {
    for (;;) {
      const c = text.charCodeAt(at);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) at++;
      else return;
    }
  };
  const literal = (word, value) => {
    if (text.startsWith(word, at)) {
      at += word.length;
      return value;
    }
    return fail('Unexpected token');
  };
  const string = () => {
    // The JSON string grammar is JavaScript's: JSON.parse reads the one token.
    const start = at;
    at++;
    for (;;) {
      const c = text.charCodeAt(at);
      if (Number.isNaN(c)) fail('Unterminated string');
      if (c === 0x5c) at += 2;
      else if (c === 0x22) break;
      else at++;
    }
    at++;
    return JSON.parse(text.slice(start, at));
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  const number = () => {
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) fail('Unexpected token');
    at += match[0].length;
    if (match[1] === undefined && match[2] === undefined) {
      const big = BigInt(match[0]);
      if (big > MAX_SAFE || big < -MAX_SAFE) return big;
    }
    return Number(match[0]);
  };
  const value = (depth) => {
    if (depth > 512) fail('Nesting too deep');
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      const object = {};
      space();
      if (text[at] === '}') {
        at++;
        return object;
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail('Expected a property name');
        const key = string();
        space();
        if (text[at] !== ':') fail("Expected ':'");
        at++;
        Object.defineProperty(object, key, {
          value: value(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        space();
        if (text[at] === ',') at++;
        else if (text[at] === '}') {
          at++;
          return object;
        } else fail("Expected ',' or '}'");
      }
    }
    if (c === '[') {
      at++;
      const array = [];
      space();
      if (text[at] === ']') {
        at++;
        return array;
      }
      for (;;) {
        array.push(value(depth + 1));
        space();
        if (text[at] === ',') at++;
        else if (text[at] === ']') {
          at++;
          return array;
        } else fail("Expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    return number();
  };
  const result = value(0);
  space();
  if (at !== text.length) fail('Unexpected non-whitespace character after JSON');
  return result;
}

/**
 * JSON text of `value`, compact; a bigint is written as a number.
 * @param {unknown} value
 * @returns {string}
 */
function stringify(value) {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (typeof value.toJSON === 'function') return stringify(value.toJSON());
  if (Array.isArray(value)) return `[${value.map(stringify).join(',')}]`;
  const members = [];
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    members.push(`${JSON.stringify(key)}:${stringify(v)}`);
  }
  return `{${members.join(',')}}`;
}

module.exports = { parse, stringify };
