import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const REPLACEMENT = '\ufffd';
/** U+FFFD as UTF-8: a file may hold the character itself, which is valid. */
const REPLACEMENT_BYTES = Buffer.from(REPLACEMENT, 'utf8');

/** How many U+FFFD the decoder made up for bytes that are not UTF-8 (those the file holds are not counted). */
function replacementsMade(text: string, bytes: Buffer, tail: Buffer): number {
  let made = 0;
  for (let at = text.indexOf(REPLACEMENT); at >= 0; at = text.indexOf(REPLACEMENT, at + 1)) made++;
  if (made === 0) return 0;
  // The bytes before this read's: a U+FFFD the file holds may straddle the reads.
  const haystack = tail.byteLength ? Buffer.concat([tail, bytes]) : bytes;
  for (
    let at = haystack.indexOf(REPLACEMENT_BYTES);
    at >= 0;
    at = haystack.indexOf(REPLACEMENT_BYTES, at + 3)
  )
    made--;
  return made;
}

/** A record longer than the limit: mostly an unclosed quote swallowing the rest of the file. */
export class CsvRecordTooLongError extends Error {
  constructor(
    readonly line: number,
    readonly limit: number,
  ) {
    super(`a record starting on line ${line} runs beyond ${limit} characters (an unclosed quote?)`);
    this.name = 'CsvRecordTooLongError';
  }
}

/**
 * Streams the records of a CSV file (RFC 4180: quoted fields may hold the delimiter, doubled
 * quotes and line breaks; CRLF or LF). Memory holds one read chunk and the record being cut,
 * never the file. `onRecord` receives the fields (an array reused between calls: copy what you
 * keep), the 1-based line the record starts on, whether bytes of the record that are not
 * UTF-8 were read as U+FFFD (`notUtf8`: its fields holding U+FFFD are suspect), and how many
 * fields the record has: `fields` holds only the first `fieldLimit.max` of them.
 */
export async function readCsvRecords(
  path: string,
  onRecord: (fields: string[], line: number, unclosed: boolean, notUtf8: boolean, count: number) => void,
  options: {
    /**
     * Fields to cut out of each record; the rest are only counted (a file with thousands of
     * columns of which a few are read). Read per record, so the caller may set it after the header.
     */
    fieldLimit?: { max: number };
    delimiter?: string;
    highWaterMark?: number;
    onBytes?: (bytes: number) => void;
    /** Longest record, in characters (default 16 Mi): memory stays bounded on an unclosed quote. */
    maxRecordChars?: number;
  } = {},
): Promise<{ records: number; lines: number; bytes: number }> {
  const delimiter = options.delimiter ?? ',';
  const maxRecordChars = options.maxRecordChars ?? 16 << 20;
  const delimCode = delimiter.charCodeAt(0);
  const fields: string[] = [];
  let pending = '';
  let scanFrom = 0;
  let inQuotes = false;
  let quoted = false; // the pending record holds a quote: split it the slow way
  let line = 1; // line of the next record's start
  let newlinesInRecord = 0;
  let records = 0;
  let bytes = 0;
  let bom = true;
  // Set by a read whose bytes were not all UTF-8; kept while the record being cut holds U+FFFD.
  // (A U+FFFD the file itself holds near such bytes is suspected too: the file needs fixing anyway.)
  let notUtf8 = false;
  let tail: Buffer = Buffer.alloc(0);

  const limit = options.fieldLimit ?? { max: Number.POSITIVE_INFINITY };
  const emit = (record: string): void => {
    if (record.length > 0 && record.charCodeAt(record.length - 1) === 13) record = record.slice(0, -1);
    let count: number;
    let unclosed = false;
    if (quoted) {
      count = splitQuoted(record, delimCode, fields, limit.max);
      unclosed = count < 0;
      if (unclosed) count = fields.length;
    } else count = splitPlain(record, delimiter, fields, limit.max);
    records++;
    onRecord(fields, line, unclosed, notUtf8 && record.includes(REPLACEMENT), count);
  };

  const decoder = new StringDecoder('utf8');
  const stream = createReadStream(path, { highWaterMark: options.highWaterMark ?? 1 << 20 });
  const chunks = async function* (): AsyncGenerator<string> {
    for await (const buffer of stream as AsyncIterable<Buffer>) {
      const n = buffer.byteLength;
      bytes += n;
      options.onBytes?.(n);
      const chunk = decoder.write(buffer);
      if (replacementsMade(chunk, buffer, tail) > 0) notUtf8 = true;
      // The stream's last two bytes so far (reads may be shorter than that).
      tail = n >= 2 ? buffer.subarray(n - 2) : Buffer.concat([tail, buffer]).subarray(-2);
      yield chunk;
    }
    // A file ending inside a multi-byte character: the decoder's last word is a U+FFFD.
    const end = decoder.end();
    if (end.length > 0) {
      notUtf8 = true;
      yield end;
    }
  };
  for await (const chunk of chunks()) {
    let text = pending + chunk;
    if (bom) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      bom = false;
    }
    let start = 0;
    let i = scanFrom;
    // Outside quotes, jump from line break to line break with indexOf; a quote switches to
    // looking for the closing quote (doubled quotes close and reopen), counting line breaks inside.
    let q = text.indexOf('"', i);
    while (i < text.length) {
      if (!inQuotes) {
        if (q !== -1 && q < i) q = text.indexOf('"', i);
        const nl = text.indexOf('\n', i);
        if (q !== -1 && (nl < 0 || q < nl)) {
          inQuotes = true;
          quoted = true;
          i = q + 1;
          continue;
        }
        if (nl < 0) break;
        emit(text.slice(start, nl));
        line += 1 + newlinesInRecord;
        newlinesInRecord = 0;
        quoted = false;
        start = nl + 1;
        i = nl + 1;
      } else {
        const close = text.indexOf('"', i);
        const end = close < 0 ? text.length : close;
        for (let nl = text.indexOf('\n', i); nl >= 0 && nl < end; nl = text.indexOf('\n', nl + 1))
          newlinesInRecord++;
        if (close < 0) {
          i = text.length;
          break;
        }
        inQuotes = false;
        i = close + 1;
      }
    }
    pending = text.slice(start);
    scanFrom = pending.length;
    if (notUtf8) notUtf8 = pending.includes(REPLACEMENT);
    if (pending.length > maxRecordChars) throw new CsvRecordTooLongError(line, maxRecordChars);
  }
  if (pending.length > 0 && !(pending.length === 1 && pending.charCodeAt(0) === 13)) {
    emit(pending);
    line += 1 + newlinesInRecord;
  } else if (inQuotes) {
    emit(pending);
  }
  return { records, lines: line - 1, bytes };
}

/** Splits a record without quotes into at most `max` fields of `out`; returns how many it has. */
function splitPlain(record: string, delimiter: string, out: string[], max: number): number {
  out.length = 0;
  let start = 0;
  let count = 0;
  for (;;) {
    const at = record.indexOf(delimiter, start);
    // Past the fields asked for, the rest are only counted: no string is cut out of them.
    if (count < max) out.push(at < 0 ? record.slice(start) : record.slice(start, at));
    count++;
    if (at < 0) return count;
    start = at + 1;
  }
}

/**
 * Splits a record holding quotes into at most `max` fields of `out`; returns how many fields it
 * has, or -1 when a quote is never closed (a field starting with `"`, caught as a bad row).
 */
function splitQuoted(record: string, delim: number, out: string[], max: number): number {
  out.length = 0;
  let count = 0;
  let i = 0;
  const n = record.length;
  for (;;) {
    const keep = count < max;
    if (i < n && record.charCodeAt(i) === 34) {
      // quoted field
      let j = i + 1;
      let field = '';
      let closed = false;
      while (j < n) {
        const c = record.charCodeAt(j);
        if (c === 34) {
          if (j + 1 < n && record.charCodeAt(j + 1) === 34) {
            if (keep) field += '"';
            j += 2;
            continue;
          }
          closed = true;
          j++;
          break;
        }
        const next = record.indexOf('"', j);
        const end = next < 0 ? n : next;
        if (keep) field += record.slice(j, end);
        j = end;
      }
      if (!closed) {
        if (keep) out.push(field);
        return -1;
      }
      // text after the closing quote up to the delimiter is kept (lenient), as most readers do
      const at = indexOfCode(record, delim, j);
      if (keep) out.push(field + record.slice(j, at < 0 ? n : at));
      count++;
      if (at < 0) return count;
      i = at + 1;
    } else {
      const at = indexOfCode(record, delim, i);
      if (keep) out.push(record.slice(i, at < 0 ? n : at));
      count++;
      if (at < 0) return count;
      i = at + 1;
    }
  }
}

function indexOfCode(s: string, code: number, from: number): number {
  for (let i = from; i < s.length; i++) if (s.charCodeAt(i) === code) return i;
  return -1;
}
