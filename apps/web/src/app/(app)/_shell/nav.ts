import { Building2, CheckSquare, KanbanSquare, LayoutDashboard, type LucideIcon, Settings, Users } from "lucide-react";

export interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
  /** The second key of the "g then …" shortcut. */
  key: string;
}

export const NAV_ITEMS: NavItem[] = [
  { href: "/dashboard", label: "Dashboard", icon: LayoutDashboard, key: "d" },
  { href: "/contacts", label: "Contacts", icon: Users, key: "c" },
  { href: "/companies", label: "Companies", icon: Building2, key: "o" },
  { href: "/deals", label: "Deals", icon: KanbanSquare, key: "e" },
  { href: "/tasks", label: "Tasks", icon: CheckSquare, key: "t" },
  { href: "/settings", label: "Settings", icon: Settings, key: "s" },
];

export function isActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}
