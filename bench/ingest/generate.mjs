// Deterministic synthetic e-commerce orders CSV in the shape of the UCI "Online Retail"
// export: InvoiceNo (cancellations start with C), StockCode, Description (some quoted,
// some empty), Quantity (negative on cancellations and adjustments), InvoiceDate as
// m/d/yyyy h:mm, UnitPrice, CustomerID (a quarter empty), Country.
//
// The same --rows and --seed always give the same bytes (seeded PRNG, UTC date maths).
// The file goes to bench/data/ (gitignored) and is reused when a sidecar .json says it
// was made with the same rows, seed and generator version and the size still matches.
//
//   node bench/ingest/generate.mjs [--rows 1000000] [--seed 42] [--force]

import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when the output for a given (rows, seed) changes. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_ROWS = 1_000_000;
export const DEFAULT_SEED = 42;
export const dataDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'data');

export const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';

/** sfc32: small, fast, 128-bit state; good enough for test data and identical everywhere. */
function sfc32(a, b, c, d) {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

function rngFromSeed(seed) {
  const rand = sfc32(0x9e3779b9, 0x243f6a88, 0xb7e15162, seed >>> 0);
  for (let i = 0; i < 15; i++) rand(); // mix the seed into the state
  return rand;
}

const COLOURS = [
  'WHITE',
  'RED',
  'PINK',
  'BLUE',
  'GREEN',
  'IVORY',
  'BLACK',
  'CREAM',
  'PURPLE',
  'SILVER',
  'GOLD',
  'VINTAGE',
];
const STYLES = [
  'HANGING',
  'REGENCY',
  'RETROSPOT',
  'PAISLEY',
  'POLKADOT',
  'SPACEBOY',
  'DOLLY GIRL',
  'JUMBO',
  'MINI',
  'FELTCRAFT',
  'ANTIQUE',
  'WOODLAND',
  'HEART',
  'STAR',
  'SKULL',
];
const THINGS = [
  'T-LIGHT HOLDER',
  'LANTERN',
  'CAKE TIN',
  'TEACUP AND SAUCER',
  'LUNCH BAG',
  'SHOPPER BAG',
  'ALARM CLOCK',
  'NOTEBOOK',
  'BUNTING',
  'WATER BOTTLE',
  'DOORMAT',
  'CUSHION COVER',
  'PHOTO FRAME',
  'PARTY CUPS',
  'PAPER NAPKINS',
  'GIFT WRAP',
  'MUG',
  'COAT HANGER',
  'TRINKET BOX',
  'CANDLE',
];
const SETS = ['', '', '', 'SET OF 3 ', 'SET OF 6 ', 'PACK OF 12 ', 'SET/4 '];
const SUFFIXES = ['', '', '', '', ', ASSORTED COLOURS', ', SMALL', ', LARGE', ' DESIGN, "CLASSIC"'];
const SPECIAL = [
  { code: 'POST', description: 'POSTAGE', price: 18 },
  { code: 'M', description: 'Manual', price: 2.5 },
  { code: 'D', description: 'Discount', price: 10 },
  { code: 'DOT', description: 'DOTCOM POSTAGE', price: 30 },
  { code: 'BANK CHARGES', description: 'Bank Charges', price: 15 },
];
// Roughly the country mix of the original data (United Kingdom ~89 %).
const COUNTRIES = [
  ['United Kingdom', 890],
  ['Germany', 18],
  ['France', 16],
  ['EIRE', 15],
  ['Spain', 5],
  ['Netherlands', 5],
  ['Belgium', 4],
  ['Switzerland', 4],
  ['Portugal', 3],
  ['Australia', 3],
  ['Norway', 2],
  ['Italy', 2],
  ['Channel Islands', 2],
  ['Finland', 2],
  ['Cyprus', 1],
  ['Sweden', 1],
  ['Unspecified', 1],
  ['Austria', 1],
  ['Denmark', 1],
  ['Japan', 1],
  ['Poland', 1],
  ['USA', 1],
  ['Hong Kong', 1],
  ['Singapore', 1],
];
const QUANTITIES = [1, 1, 1, 2, 2, 3, 4, 6, 6, 8, 10, 12, 12, 12, 24, 24, 36, 48, 96];

/** Quotes a CSV field when it needs it (RFC 4180). */
function csvField(value) {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function pick(rand, list) {
  return list[Math.floor(rand() * list.length)];
}

function makeCatalogue(rand, size) {
  const products = [];
  const seen = new Set();
  while (products.length < size) {
    let code = String(10000 + Math.floor(rand() * 90000));
    if (rand() < 0.15) code += pick(rand, ['A', 'B', 'C', 'D', 'E', 'L', 'S']);
    if (seen.has(code)) continue;
    seen.add(code);
    const text = `${pick(rand, SETS)}${pick(rand, COLOURS)} ${pick(rand, STYLES)} ${pick(rand, THINGS)}${pick(rand, SUFFIXES)}`;
    const price = Math.round((0.19 + rand() ** 3 * 25) * 100) / 100;
    products.push({ code, description: csvField(text), price });
  }
  return products;
}

function makeCountryPicker(rand) {
  const total = COUNTRIES.reduce((sum, [, weight]) => sum + weight, 0);
  return () => {
    let r = rand() * total;
    for (const [name, weight] of COUNTRIES) {
      r -= weight;
      if (r < 0) return name;
    }
    return COUNTRIES[0][0];
  };
}

/** m/d/yyyy h:mm, in UTC so that the output never depends on the machine's time zone. */
function formatDate(ms) {
  const d = new Date(ms);
  const minutes = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${d.getUTCHours()}:${minutes}`;
}

/** The path of the CSV for (rows, seed) and of its sidecar description. */
export function datasetPaths(rows, seed) {
  const base = join(dataDir, `orders-${rows}-seed${seed}-v${GENERATOR_VERSION}`);
  return { csv: `${base}.csv`, meta: `${base}.json` };
}

/**
 * Writes the CSV (unless an identical one exists) and returns
 * { path, rows, seed, bytes, reused, seconds }.
 */
export async function ensureDataset({
  rows = DEFAULT_ROWS,
  seed = DEFAULT_SEED,
  force = false,
  log = console.log,
} = {}) {
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer (got ${rows})`);
  const { csv, meta } = datasetPaths(rows, seed);
  if (!force && existsSync(csv) && existsSync(meta)) {
    try {
      const info = JSON.parse(readFileSync(meta, 'utf8'));
      if (
        info.rows === rows &&
        info.seed === seed &&
        info.version === GENERATOR_VERSION &&
        statSync(csv).size === info.bytes
      ) {
        return { path: csv, rows, seed, bytes: info.bytes, reused: true, seconds: 0 };
      }
    } catch {
      // unreadable sidecar: regenerate
    }
  }

  mkdirSync(dataDir, { recursive: true });
  log(`[generate] writing ${rows.toLocaleString('en-US')} rows (seed ${seed}) to ${csv}`);
  const started = performance.now();
  const rand = rngFromSeed(seed);
  const catalogue = makeCatalogue(rand, 4000);
  const country = makeCountryPicker(rand);

  const tmp = `${csv}.partial`;
  const out = createWriteStream(tmp);
  const write = (chunk) =>
    out.write(chunk) ? Promise.resolve() : new Promise((resolvePromise) => out.once('drain', resolvePromise));

  let bytes = 0;
  let chunk = `${HEADER}\n`;
  let invoice = 536365;
  // The data spans 373 days from 1 Dec 2010, trading 07:00–20:00.
  const startMs = Date.UTC(2010, 11, 1, 7, 0);
  const dayMs = 86_400_000;
  let written = 0;
  while (written < rows) {
    const lines = Math.min(rows - written, 1 + Math.floor(rand() ** 2 * 40));
    const cancelled = rand() < 0.02;
    const invoiceNo = cancelled ? `C${invoice}` : String(invoice);
    invoice += 1;
    const day = Math.floor((written / rows) * 373);
    const minuteOfDay = Math.floor(rand() * 13 * 60);
    const date = formatDate(startMs + day * dayMs + minuteOfDay * 60_000);
    const customer = rand() < 0.25 ? '' : String(12346 + Math.floor(rand() * 5942));
    const where = country();
    for (let i = 0; i < lines; i++) {
      let code;
      let description;
      let price;
      let quantity = pick(rand, QUANTITIES);
      if (rand() < 0.004) {
        const special = pick(rand, SPECIAL);
        code = special.code;
        description = special.description;
        price = special.price;
        quantity = 1;
      } else {
        const product = catalogue[Math.floor(rand() ** 1.5 * catalogue.length)];
        code = product.code;
        description = rand() < 0.003 ? '' : product.description;
        price = product.price;
      }
      if (cancelled) quantity = -quantity;
      else if (rand() < 0.002) {
        // stock adjustment: negative, price 0, no customer
        quantity = -Math.floor(1 + rand() * 100);
        price = 0;
      }
      chunk += `${invoiceNo},${code},${description},${quantity},${date},${price.toFixed(2)},${customer},${where}\n`;
    }
    written += lines;
    if (chunk.length > 1 << 20) {
      bytes += Buffer.byteLength(chunk);
      await write(chunk);
      chunk = '';
    }
  }
  bytes += Buffer.byteLength(chunk);
  await write(chunk);
  await new Promise((resolvePromise, reject) => out.end((error) => (error ? reject(error) : resolvePromise())));
  renameSync(tmp, csv);

  const size = statSync(csv).size;
  if (size !== bytes) throw new Error(`wrote ${size} bytes but counted ${bytes}`);
  writeFileSync(
    meta,
    `${JSON.stringify({ version: GENERATOR_VERSION, rows, seed, bytes, header: HEADER }, null, 2)}\n`,
  );
  const seconds = (performance.now() - started) / 1000;
  log(`[generate] ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);
  return { path: csv, rows, seed, bytes, reused: false, seconds };
}

/** Parses --name value / --name=value / --flag arguments. */
export function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const eq = arg.indexOf('=');
    if (eq > 0) args[arg.slice(2, eq)] = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) args[arg.slice(2)] = argv[++i];
    else args[arg.slice(2)] = true;
  }
  return args;
}

/** An integer option such as "1000000", "1e6", "1_000_000" or "100k". */
export function intOption(value, fallback) {
  if (value === undefined || value === true) return fallback;
  const text = String(value).replace(/_/g, '').toLowerCase();
  const match = /^(\d+(?:\.\d+)?(?:e\d+)?)([km]?)$/.exec(text);
  if (!match) throw new Error(`not a number: ${value}`);
  const scale = match[2] === 'k' ? 1e3 : match[2] === 'm' ? 1e6 : 1;
  return Math.round(Number(match[1]) * scale);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = parseArgs(process.argv.slice(2));
  const result = await ensureDataset({
    rows: intOption(args.rows, DEFAULT_ROWS),
    seed: intOption(args.seed, DEFAULT_SEED),
    force: args.force === true,
  });
  console.log(
    `${result.path}\n${result.rows.toLocaleString('en-US')} rows, ${(result.bytes / 1e6).toFixed(1)} MB${result.reused ? ' (reused)' : ''}`,
  );
}
