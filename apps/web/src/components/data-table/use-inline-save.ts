"use client";

import { type QueryFilters, useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef } from "react";
import type { ZodType } from "zod";
import { useToast } from "~/components/toast";
import { fieldErrorsOf, loadSchemas } from "./lazy-schemas";
import { InlineEditError, saveInline } from "./row-update";

type Schemas = Awaited<ReturnType<typeof loadSchemas>>;
type Input = { id: string } & Record<string, unknown>;

interface InlineSaveOptions<TRow extends { id: string }> {
  /** The update procedure's input schema, from the API's schemas (loaded on demand). */
  schema: (schemas: Schemas) => ZodType<Input>;
  /** The cell's strings as the update's input (numbers, nulls); by default as they are. */
  prepare?: (row: TRow, values: Record<string, string>) => Record<string, unknown>;
  /** The list queries holding the rows. */
  filter: QueryFilters;
  send: (input: Input) => Promise<Record<string, unknown>>;
  nameOf: (row: TRow) => string;
}

/**
 * `save` and `validate` for a list's inline edits: checked with the API's own schema (the same
 * messages as the server's), shown at once, rolled back with a toast when the server refuses.
 */
export function useInlineSave<TRow extends { id: string }>(options: InlineSaveOptions<TRow>) {
  const queryClient = useQueryClient();
  const toast = useToast();
  // The latest options, read when a save runs: `save` and `validate` stay the same functions, so
  // the columns built with them are not rebuilt on every render.
  const latest = useRef(options);
  latest.current = options;

  const parse = useCallback(async (row: TRow, values: Record<string, string>) => {
    const { schema, prepare } = latest.current;
    const schemas = await loadSchemas();
    return schema(schemas).safeParse({ id: row.id, ...(prepare ? prepare(row, values) : values) });
  }, []);

  const validate = useCallback(
    async (row: TRow, values: Record<string, string>) => {
      const parsed = await parse(row, values);
      return parsed.success ? null : fieldErrorsOf(parsed.error.issues);
    },
    [parse],
  );

  const save = useCallback(
    async (row: TRow, values: Record<string, string>) => {
      const parsed = await parse(row, values);
      if (!parsed.success) {
        const fields = fieldErrorsOf(parsed.error.issues);
        throw new InlineEditError(Object.values(fields)[0] ?? "Check the value.", fields);
      }
      const { filter, send, nameOf } = latest.current;
      const { id: _id, ...changes } = parsed.data;
      await saveInline({
        queryClient,
        filter,
        row: row as TRow & Record<string, unknown>,
        optimistic: changes,
        send: () => send(parsed.data),
        saved: (result) => Object.fromEntries(Object.keys(changes).map((key) => [key, result[key]])),
        onFailure: (error) => toast(`${nameOf(row)} was not changed: ${error.message}`, { tone: "error" }),
      });
    },
    [parse, queryClient, toast],
  );

  return { save, validate };
}
