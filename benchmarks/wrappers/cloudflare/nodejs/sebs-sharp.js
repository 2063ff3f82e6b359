'use strict';
/*
 * sebs-junit's Workers polyfill of the npm package sharp: sharp is native code (libvips in a .node addon), which
 * Workers cannot load, so when the platform bundles a Node.js benchmark for Workers, esbuild resolves
 * require('sharp') to this file (--alias:sharp=./sebs-sharp.js) and the image work is done by jimp's packages (JPEG,
 * PNG, resize, crop, cover), pure JavaScript, which the platform installs at a pinned version.
 *
 * It implements the part of sharp's API that SeBS's 210.thumbnailer uses, in either of its two forms:
 *  - sharp(buffer).metadata() -> {format, width, height, channels, size}
 *  - sharp(buffer).resize(width, height[, options]).png() / .jpeg([options]) .toBuffer([{resolveWithObject: true}])
 *    -> Buffer, or {data, info: {format, width, height, channels, size}}; a callback (err, data, info) also works
 *  - sharp().resize(width, height).png(): a duplex stream, input piped in, the encoded image piped out
 * resize follows sharp's rules: fit "cover" (the default: scale to cover the box, then crop its centre to exactly
 * width x height), "fill", "inside", "outside" and "contain" (letterboxed on a transparent or given background);
 * one side given keeps the aspect ratio. Output keeps the input's format unless png() or jpeg() says otherwise.
 * Any other sharp method, option or input throws an Error naming it and saying this polyfill lacks it.
 */
const { Duplex } = require('stream');
const { createJimp } = require('@jimp/core');
const jpeg = require('@jimp/js-jpeg').default;
const png = require('@jimp/js-png').default;
const { PNG } = require('pngjs');
const resizePlugin = require('@jimp/plugin-resize');
const cropPlugin = require('@jimp/plugin-crop');
const coverPlugin = require('@jimp/plugin-cover');

/**
 * jimp's PNG format, decoding with pngjs's streaming parser: its synchronous one subclasses node:zlib's Inflate the
 * pre-ES-class way (zlib.Inflate.call(this)), which Workers' zlib, an ES class, refuses.
 */
function pngDecodedByStream() {
  const format = png();
  return {
    ...format,
    decode: (data) => new Promise((resolve, reject) => {
      new PNG().parse(data, (error, image) => (error ? reject(error)
        : resolve({ data: image.data, width: image.width, height: image.height })));
    }),
  };
}

/** Only what the polyfill uses: JPEG and PNG, resize, crop and cover (a smaller bundle starts faster). */
const Jimp = createJimp({
  formats: [jpeg, pngDecodedByStream],
  plugins: [resizePlugin.methods, cropPlugin.methods, coverPlugin.methods],
});

const POLYFILL = "sebs-junit's Workers polyfill of sharp";
const IMPLEMENTED = 'sharp(input?), metadata(), resize(width, height, {fit, background}), png(), jpeg({quality}),'
  + ' toBuffer({resolveWithObject}) and piping through sharp()';

function unsupported(what) {
  return new Error(`sharp: ${what} is not supported by ${POLYFILL} (Workers cannot load sharp's native code);`
    + ` it implements ${IMPLEMENTED}`);
}

function checkOptions(method, options, known) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw unsupported(`${method}(${JSON.stringify(options)})`);
  for (const name of Object.keys(options)) {
    if (!known.includes(name) && options[name] !== undefined) {
      throw unsupported(`${method}({${name}})`);
    }
  }
  return options;
}

const FORMATS = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/gif': 'gif', 'image/bmp': 'bmp', 'image/tiff': 'tiff' };
const MIMES = { png: 'image/png', jpeg: 'image/jpeg' };
const FITS = ['cover', 'contain', 'fill', 'inside', 'outside'];

function asBuffer(input) {
  if (Buffer.isBuffer(input)) return input;
  if (input instanceof ArrayBuffer) return Buffer.from(input);
  if (ArrayBuffer.isView(input)) return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  throw unsupported(`sharp(${typeof input === 'string' ? 'a file path' : typeof input} input)`);
}

function colour(background) {
  if (background === undefined) return 0x00000000;
  if (typeof background === 'object' && background !== null) {
    const { r = 0, g = 0, b = 0, alpha = 1 } = background;
    return (((r & 255) << 24) | ((g & 255) << 16) | ((b & 255) << 8) | Math.round(alpha * 255)) >>> 0;
  }
  throw unsupported(`resize({background: ${JSON.stringify(background)}}) (give {r, g, b, alpha})`);
}

/** The pipeline sharp(input) starts: chained calls record what to do, toBuffer() or the stream's end does it. */
class Sharp extends Duplex {
  constructor(input, options) {
    super();
    if (options !== undefined) throw unsupported('sharp(input, options)');
    this._input = input === undefined ? null : asBuffer(input);
    this._chunks = [];
    this._resize = null;
    this._output = null;
    this._started = false;
  }

  resize(width, height, options) {
    if (width !== null && typeof width === 'object') {
      return this.resize(width.width, width.height, width);
    }
    const o = checkOptions('resize', options, ['width', 'height', 'fit', 'background', 'position']);
    const fit = o.fit === undefined ? 'cover' : o.fit;
    if (!FITS.includes(fit)) throw unsupported(`resize({fit: ${JSON.stringify(fit)}})`);
    if (o.position !== undefined && !['centre', 'center', 'centre', 'middle'].includes(o.position)) {
      throw unsupported(`resize({position: ${JSON.stringify(o.position)}}) (only the centre)`);
    }
    for (const [name, value] of [['width', width], ['height', height]]) {
      if (value !== undefined && value !== null && !(Number.isInteger(value) && value > 0)) {
        throw new Error(`Expected positive integer for ${name} but received ${value} of type ${typeof value}`);
      }
    }
    if ((width === undefined || width === null) && (height === undefined || height === null)) {
      throw unsupported('resize() without a width or a height');
    }
    this._resize = { width: width || null, height: height || null, fit, background: colour(o.background) };
    return this;
  }

  png(options) {
    checkOptions('png', options, []);
    this._output = { format: 'png', options: {} };
    return this;
  }

  jpeg(options) {
    const o = checkOptions('jpeg', options, ['quality']);
    this._output = { format: 'jpeg', options: o.quality === undefined ? {} : { quality: o.quality } };
    return this;
  }

  toFormat(format, options) {
    if (format === 'png' || format === 'jpeg' || format === 'jpg') {
      return format === 'png' ? this.png(options) : this.jpeg(options);
    }
    throw unsupported(`toFormat(${JSON.stringify(format)})`);
  }

  async metadata() {
    const input = await this._whole();
    const image = await Jimp.fromBuffer(input);
    return {
      format: FORMATS[image.mime] || image.mime,
      width: image.bitmap.width,
      height: image.bitmap.height,
      channels: 4,
      size: input.length,
    };
  }

  toBuffer(options, callback) {
    if (typeof options === 'function') return this.toBuffer(undefined, options);
    const o = checkOptions('toBuffer', options, ['resolveWithObject']);
    const done = this._whole().then((input) => this._process(input));
    if (callback) {
      done.then((r) => callback(null, r.data, r.info), (e) => callback(e));
      return this;
    }
    return done.then((r) => (o.resolveWithObject ? r : r.data));
  }

  /** The input: the buffer given, or everything written into the stream once it has ended. */
  _whole() {
    if (this._input) return Promise.resolve(this._input);
    return new Promise((resolve, reject) => {
      this._inputEnded = resolve;
      this.once('error', reject);
    });
  }

  async _process(input) {
    const image = await Jimp.fromBuffer(input);
    const sourceFormat = FORMATS[image.mime];
    if (this._resize) resize(image, this._resize);
    const output = this._output || { format: sourceFormat, options: {} };
    if (!MIMES[output.format]) throw unsupported(`writing ${output.format} (only png() and jpeg())`);
    const data = await image.getBuffer(MIMES[output.format], output.options);
    return {
      data,
      info: { format: output.format, width: image.bitmap.width, height: image.bitmap.height, channels: 4,
        size: data.length },
    };
  }

  _write(chunk, encoding, callback) {
    this._chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding));
    callback();
  }

  _final(callback) {
    this._input = Buffer.concat(this._chunks);
    this._chunks = [];
    if (this._inputEnded) this._inputEnded(this._input);
    if (this._reading) this._start();
    callback();
  }

  _read() {
    this._reading = true;
    if (this._input) this._start();
  }

  _start() {
    if (this._started) return;
    this._started = true;
    this._process(this._input).then((r) => {
      this.emit('info', r.info);
      this.push(r.data);
      this.push(null);
    }, (e) => this.destroy(e));
  }
}

function resize(image, { width, height, fit, background }) {
  const w = image.bitmap.width;
  const h = image.bitmap.height;
  if (!width || !height) {
    // one side given: the other keeps the aspect ratio, whatever the fit
    const scale = width ? width / w : height / h;
    image.resize({ w: Math.max(1, Math.round(w * scale)), h: Math.max(1, Math.round(h * scale)) });
    return;
  }
  if (fit === 'fill') {
    image.resize({ w: width, h: height });
  } else if (fit === 'cover') {
    image.cover({ w: width, h: height });
  } else if (fit === 'inside' || fit === 'outside') {
    const scale = (fit === 'inside' ? Math.min : Math.max)(width / w, height / h);
    image.resize({ w: Math.max(1, Math.round(w * scale)), h: Math.max(1, Math.round(h * scale)) });
  } else {
    const scale = Math.min(width / w, height / h);
    const inner = new Jimp({ width, height, color: background });
    image.resize({ w: Math.max(1, Math.round(w * scale)), h: Math.max(1, Math.round(h * scale)) });
    inner.composite(image, Math.floor((width - image.bitmap.width) / 2), Math.floor((height - image.bitmap.height) / 2));
    image.bitmap = inner.bitmap;
  }
}

// The rest of sharp's API, each failing with its name rather than as "is not a function".
for (const name of ['rotate', 'flip', 'flop', 'affine', 'sharpen', 'median', 'blur', 'flatten', 'unflatten', 'gamma',
  'negate', 'normalise', 'normalize', 'clahe', 'convolve', 'threshold', 'boolean', 'linear', 'recomb', 'modulate',
  'tint', 'greyscale', 'grayscale', 'pipelineColourspace', 'pipelineColorspace', 'toColourspace', 'toColorspace',
  'removeAlpha', 'ensureAlpha', 'extractChannel', 'joinChannel', 'bandbool', 'composite', 'extend', 'extract', 'trim',
  'toFile', 'withMetadata', 'keepMetadata', 'keepExif', 'withExif', 'keepIccProfile', 'withIccProfile', 'webp', 'gif',
  'jp2', 'tiff', 'avif', 'heif', 'jxl', 'raw', 'tile', 'timeout', 'stats', 'clone', 'autoOrient']) {
  Sharp.prototype[name] = function () {
    throw unsupported(`${name}()`);
  };
}

function sharp(input, options) {
  return new Sharp(input, options);
}

for (const name of ['cache', 'concurrency', 'counters', 'simd', 'block', 'unblock']) {
  sharp[name] = function () {
    throw unsupported(`sharp.${name}()`);
  };
}
sharp.polyfill = POLYFILL;

module.exports = sharp;
module.exports.default = sharp;
