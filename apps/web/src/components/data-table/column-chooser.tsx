"use client";

import {
  Menu,
  MenuCheckboxItem,
  MenuContent,
  MenuItem,
  MenuLabel,
  MenuSeparator,
  MenuTrigger,
} from "~/components/menu";
import { ColumnsLabel, toolbarButtonClass } from "./triggers";

interface ColumnChooserProps {
  /** Every column that may be hidden, in their natural order. */
  columns: readonly { id: string; label: string; custom?: boolean }[];
  visible: readonly string[];
  onChange: (visible: string[]) => void;
  onReset: () => void;
  /** Opens the menu as it mounts (it loads after the page, on first use). */
  defaultOpen?: boolean;
}

/** Shows and hides columns; the choice goes to the URL (and with it into a saved view). */
export function ColumnChooser({ columns, visible, onChange, onReset, defaultOpen }: ColumnChooserProps) {
  function toggle(id: string, show: boolean) {
    if (!show) {
      onChange(visible.filter((v) => v !== id));
      return;
    }
    // A column shown again goes back to its natural place among the visible ones.
    const order = columns.map((c) => c.id);
    onChange([...visible, id].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
  }
  const standard = columns.filter((c) => !c.custom);
  const custom = columns.filter((c) => c.custom);

  return (
    <Menu modal={false} defaultOpen={defaultOpen}>
      <MenuTrigger className={toolbarButtonClass}>
        <ColumnsLabel />
      </MenuTrigger>
      <MenuContent className="max-h-[min(28rem,var(--radix-dropdown-menu-content-available-height))] overflow-y-auto">
        <MenuLabel>Show columns</MenuLabel>
        {standard.map((column) => (
          <MenuCheckboxItem
            key={column.id}
            checked={visible.includes(column.id)}
            // The menu stays open so several columns can be switched at once.
            onSelect={(event) => event.preventDefault()}
            onCheckedChange={(checked) => toggle(column.id, checked === true)}
          >
            {column.label}
          </MenuCheckboxItem>
        ))}
        {custom.length > 0 ? (
          <>
            <MenuSeparator />
            <MenuLabel>Custom fields</MenuLabel>
            {custom.map((column) => (
              <MenuCheckboxItem
                key={column.id}
                checked={visible.includes(column.id)}
                onSelect={(event) => event.preventDefault()}
                onCheckedChange={(checked) => toggle(column.id, checked === true)}
              >
                {column.label}
              </MenuCheckboxItem>
            ))}
          </>
        ) : null}
        <MenuSeparator />
        <MenuItem onSelect={onReset}>Reset to default columns</MenuItem>
      </MenuContent>
    </Menu>
  );
}
