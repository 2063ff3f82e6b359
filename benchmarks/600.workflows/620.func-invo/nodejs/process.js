'use strict';
// 620.func-invo, state "process" (a repeat state): every letter one place on, "step" + 1 (see ../python).
function shift(c) {
  const code = c.charCodeAt(0);
  if (code >= 97 && code <= 122) return String.fromCharCode(97 + ((code - 97 + 1) % 26));
  if (code >= 65 && code <= 90) return String.fromCharCode(65 + ((code - 65 + 1) % 26));
  return c;
}

exports.handler = async function (event) {
  const { data } = event;
  if (typeof data !== 'string') throw new TypeError(`event.data must be a string, got ${typeof data}`);
  const step = event.step === undefined ? 0 : event.step;
  if (!Number.isInteger(step)) throw new TypeError(`event.step must be an integer, got ${JSON.stringify(step)}`);
  return { size: event.size === undefined ? data.length : event.size, step: step + 1, data: data.replace(/[A-Za-z]/g, shift) };
};
