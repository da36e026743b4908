/**
 * Which host origins may drive an embedded ShopSight: read from `?allow=` in the app's own
 * URL, normalised to the exact form browsers put in `MessageEvent.origin`
 * (`https://Admin.Example.com:443/` → `https://admin.example.com`) so that the check in the
 * bridge is a plain string comparison. Pure: works on strings, no DOM globals.
 */

/** The origins plus a note for every entry of `?allow=` that was dropped or adjusted. */
export interface AllowList {
  origins: string[];
  warnings: string[];
}

/** Whether the app was opened as an embed (`?embed=1`, also `true`/`yes`/empty). */
export function isEmbedMode(search: string): boolean {
  const params = new URLSearchParams(search);
  if (!params.has('embed')) return false;
  const value = (params.get('embed') ?? '').trim().toLowerCase();
  return value === '' || value === '1' || value === 'true' || value === 'yes';
}

/** The allowed host origins; see `readAllowList` for the rules. */
export function parseAllowList(search: string, selfOrigin: string): string[] {
  return readAllowList(search, selfOrigin).origins;
}

/**
 * Parses `?allow=a,b` (the parameter may also repeat) into normalised origins.
 *
 * - The app's own origin is always allowed, and is the whole list when `allow` is absent:
 *   a same-origin parent can script the frame directly anyway, so leaving it out would
 *   protect nothing.
 * - Only `http:` and `https:` origins are accepted (other schemes have opaque origins that
 *   cannot be told apart); the self origin is exempt, for packaged builds.
 * - Rejected with a warning: wildcards (`*`, `https://*.example.com`), `null` (every
 *   sandboxed frame and `file:` page has that origin), credentials, unparsable text.
 * - Accepted with a warning: a URL with a path, query or hash (only its origin counts).
 */
export function readAllowList(search: string, selfOrigin: string): AllowList {
  const warnings: string[] = [];
  const origins: string[] = [];
  const add = (origin: string): void => {
    if (!origins.includes(origin)) origins.push(origin);
  };

  const self = normaliseSelf(selfOrigin);
  if (self === null) warnings.push(`The app's own origin ${JSON.stringify(selfOrigin)} is opaque; it is not allowed.`);
  else add(self);

  const entries = new URLSearchParams(search)
    .getAll('allow')
    .flatMap((value) => value.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);

  for (const entry of entries) {
    const result = normaliseOrigin(entry, self);
    if (result.warning) warnings.push(result.warning);
    if (result.origin !== null) add(result.origin);
  }
  return { origins, warnings };
}

/** Whether `origin` (a `MessageEvent.origin`) is in the list; exact match only. */
export function isOriginAllowed(origin: string, allowList: readonly string[]): boolean {
  return origin !== 'null' && allowList.includes(origin);
}

function normaliseSelf(selfOrigin: string): string | null {
  const trimmed = selfOrigin.trim().replace(/\/+$/, '');
  if (trimmed === '' || trimmed.toLowerCase() === 'null') return null;
  try {
    const url = new URL(trimmed);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  } catch {
    // Not a URL at all: keep it verbatim, lower-cased, below.
  }
  return trimmed.toLowerCase();
}

interface Normalised {
  origin: string | null;
  warning?: string;
}

function normaliseOrigin(entry: string, self: string | null): Normalised {
  const quoted = JSON.stringify(entry);
  if (self !== null && entry.replace(/\/+$/, '').toLowerCase() === self.toLowerCase()) return { origin: self };
  if (entry.includes('*'))
    return { origin: null, warning: `Ignored ${quoted}: wildcards are not allowed; list each origin.` };
  if (entry.toLowerCase() === 'null') {
    return { origin: null, warning: `Ignored ${quoted}: the opaque origin "null" is shared by every sandboxed frame.` };
  }
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return { origin: null, warning: `Ignored ${quoted}: not an origin such as https://admin.example.com.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { origin: null, warning: `Ignored ${quoted}: only http: and https: origins can be allowed.` };
  }
  if (url.username !== '' || url.password !== '') {
    return { origin: null, warning: `Ignored ${quoted}: an origin cannot contain a user name or password.` };
  }
  if (url.hostname === '') return { origin: null, warning: `Ignored ${quoted}: it has no host name.` };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return { origin: url.origin, warning: `Using ${url.origin} for ${quoted}: only the origin of a URL counts.` };
  }
  return { origin: url.origin };
}
