import type { Role } from "~/trpc/types";

export const ROLE_LABELS: Record<Role, string> = { owner: "Owner", admin: "Admin", member: "Member", viewer: "Viewer" };

export function RoleBadge({ role }: { role: Role }) {
  const tone =
    role === "owner"
      ? "bg-indigo-50 text-indigo-700 ring-indigo-200"
      : role === "admin"
        ? "bg-sky-50 text-sky-700 ring-sky-200"
        : "bg-slate-50 text-slate-600 ring-slate-200";
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tone}`}>
      {ROLE_LABELS[role]}
    </span>
  );
}
