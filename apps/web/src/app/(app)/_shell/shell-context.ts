"use client";

import { createContext, useContext } from "react";

interface ShellActions {
  openPalette: () => void;
  openShortcuts: () => void;
}

export const ShellContext = createContext<ShellActions | null>(null);

/** Opens the search palette or the shortcuts help from anywhere inside the app. */
export function useShell(): ShellActions {
  const actions = useContext(ShellContext);
  if (!actions) throw new Error("useShell must be used inside the app shell");
  return actions;
}
