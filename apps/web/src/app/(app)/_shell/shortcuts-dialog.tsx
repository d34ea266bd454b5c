"use client";

import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { NAV_ITEMS } from "./nav";

const GENERAL: { keys: string[]; label: string }[] = [
  { keys: ["⌘", "K"], label: "Search and quick actions (Ctrl+K on Windows and Linux)" },
  { keys: ["?"], label: "Show this list" },
  { keys: ["Esc"], label: "Close a dialog, menu or editor" },
];

const LISTS: { keys: string[]; label: string }[] = [
  { keys: ["Enter"], label: "Edit the focused cell, or save the edit" },
  { keys: ["Space"], label: "Pick up or drop a focused deal card on the board" },
  { keys: ["←", "→", "↑", "↓"], label: "Move a picked-up deal card" },
];

function Keys({ keys }: { keys: string[] }) {
  return (
    <span className="flex shrink-0 items-center gap-1">
      {keys.map((key) => (
        <kbd
          key={key}
          className="min-w-6 rounded-md border border-slate-200 bg-slate-50 px-1.5 py-0.5 text-center font-sans text-xs font-medium text-slate-700 shadow-xs"
        >
          {key}
        </kbd>
      ))}
    </span>
  );
}

function Section({ title, rows }: { title: string; rows: { keys: string[]; label: string }[] }) {
  return (
    <section>
      <h3 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      <dl className="divide-y divide-slate-100">
        {rows.map((row) => (
          <div key={row.label} className="flex items-center justify-between gap-4 py-2 text-sm">
            <dt className="text-slate-700">{row.label}</dt>
            <dd>
              <Keys keys={row.keys} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The `?` help: every keyboard shortcut the app answers to. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const navigation = NAV_ITEMS.map((item) => ({ keys: ["g", item.key], label: `Go to ${item.label}` }));
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts">
      <div className="max-h-[60vh] space-y-5 overflow-y-auto">
        <Section title="Anywhere" rows={GENERAL} />
        <Section title="Go to" rows={navigation} />
        <Section title="Lists and board" rows={LISTS} />
      </div>
      <div className="mt-5 flex justify-end">
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
      </div>
    </Dialog>
  );
}
