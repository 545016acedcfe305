// Types for scripts/upstream/normalise.mjs, so TypeScript tests can import it.
export interface NormalisationNote {
  rule:
    'nullable' | 'exclusive-bound' | 'misspelt-keyword' | 'single-alternative' | 'free-form-object';
  /** A JSON pointer into the document, `#/components/schemas/…`. */
  at: string;
  change: string;
}
export declare function normaliseDocument<T extends object>(
  document: T,
): { document: T; notes: NormalisationNote[] };
export declare function summariseNotes(notes: NormalisationNote[]): string;
