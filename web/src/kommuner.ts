import { useEffect, useState } from 'react';
import { api } from './api';
import type { Schemas } from './api/types';

export type Kommun = Schemas['Kommun'];

export interface Kommuner {
  all: Kommun[];
  /** The kommun's name, or the code as it is when no kommun has it. */
  name: (code: string | null | undefined) => string;
}

// The 290 kommuner do not change while the page is open: fetched once for every page.
let loading: Promise<Kommuner> | undefined;

function load(): Promise<Kommuner> {
  loading ??= api<{ items: Kommun[] }>('/api/kommuner').then(
    ({ items }) => {
      const byCode = new Map(items.map((k) => [k.code, k.name]));
      return { all: items, name: (code) => (code ? (byCode.get(code) ?? code) : '') };
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

const codesOnly: Kommuner = { all: [], name: (code) => code ?? '' };

/** Kommun names by code; until they have arrived (or if they cannot be fetched) codes show as they are. */
export function useKommuner(): Kommuner {
  const [kommuner, setKommuner] = useState<Kommuner>(codesOnly);
  useEffect(() => {
    let live = true;
    load().then(
      (k) => live && setKommuner(k),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  return kommuner;
}
