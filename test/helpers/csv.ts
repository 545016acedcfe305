// A strict RFC 4180 reader, to check that the CLI's CSV round-trips: records end with CRLF, a
// line break or quote inside a field is allowed only in a quoted field.
import { expect } from 'vitest';

/** The records of `text`; fails the test on anything RFC 4180 does not allow. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') {
      expect(field, 'a quote inside an unquoted field').toBe('');
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      expect(ch === '\r' || ch === '\n', 'a bare line break outside quotes').toBe(false);
      field += ch;
    }
  }
  expect(quoted).toBe(false);
  expect(field).toBe('');
  expect(record).toEqual([]);
  return records;
}
