"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import type { ComponentPropsWithoutRef, ReactNode } from "react";

/** A menu of actions opened from a button: keyboard, focus and dismissal handled by Radix. */
export const Menu = DropdownMenu.Root;
export const MenuTrigger = DropdownMenu.Trigger;
export const MenuGroup = DropdownMenu.Group;

const surface =
  "z-50 min-w-48 overflow-hidden rounded-xl border border-slate-200 bg-white p-1 text-sm text-slate-700 shadow-lg outline-none";
const itemClass =
  "relative flex cursor-default select-none items-center gap-2 rounded-lg px-2.5 py-2 outline-none data-[disabled]:pointer-events-none data-[highlighted]:bg-slate-100 data-[highlighted]:text-slate-900 data-[disabled]:text-slate-400";

export function MenuContent({
  className = "",
  align = "end",
  sideOffset = 6,
  ...props
}: ComponentPropsWithoutRef<typeof DropdownMenu.Content>) {
  return (
    <DropdownMenu.Portal>
      <DropdownMenu.Content align={align} sideOffset={sideOffset} className={`${surface} ${className}`} {...props} />
    </DropdownMenu.Portal>
  );
}

export function MenuItem({
  className = "",
  tone = "default",
  ...props
}: ComponentPropsWithoutRef<typeof DropdownMenu.Item> & { tone?: "default" | "danger" }) {
  const toneClass =
    tone === "danger" ? "text-red-600 data-[highlighted]:bg-red-50 data-[highlighted]:text-red-700" : "";
  return <DropdownMenu.Item className={`${itemClass} ${toneClass} ${className}`} {...props} />;
}

export function MenuCheckboxItem({
  className = "",
  children,
  ...props
}: ComponentPropsWithoutRef<typeof DropdownMenu.CheckboxItem>) {
  return (
    <DropdownMenu.CheckboxItem className={`${itemClass} pl-8 ${className}`} {...props}>
      <span className="absolute left-2.5 flex size-4 items-center justify-center">
        <DropdownMenu.ItemIndicator>
          <CheckIcon />
        </DropdownMenu.ItemIndicator>
      </span>
      {children}
    </DropdownMenu.CheckboxItem>
  );
}

export const MenuRadioGroup = DropdownMenu.RadioGroup;

export function MenuRadioItem({
  className = "",
  children,
  ...props
}: ComponentPropsWithoutRef<typeof DropdownMenu.RadioItem>) {
  return (
    <DropdownMenu.RadioItem className={`${itemClass} pl-8 ${className}`} {...props}>
      <span className="absolute left-2.5 flex size-4 items-center justify-center">
        <DropdownMenu.ItemIndicator>
          <CheckIcon />
        </DropdownMenu.ItemIndicator>
      </span>
      {children}
    </DropdownMenu.RadioItem>
  );
}

export function MenuSeparator({ className = "" }: { className?: string }) {
  return <DropdownMenu.Separator className={`-mx-1 my-1 h-px bg-slate-200 ${className}`} />;
}

export function MenuLabel({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <DropdownMenu.Label className={`px-2.5 py-1.5 text-xs font-medium text-slate-500 ${className}`}>
      {children}
    </DropdownMenu.Label>
  );
}

function CheckIcon() {
  return (
    <svg className="size-4 text-indigo-600" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
      <path
        fillRule="evenodd"
        d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.58l7.3-7.3a1 1 0 0 1 1.4 0Z"
        clipRule="evenodd"
      />
    </svg>
  );
}
