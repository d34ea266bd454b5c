"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import type { Permission } from "~/trpc/types";

/**
 * What the caller's role allows in the current organization, to hide actions that would be refused.
 * Only a convenience: the server checks every call. Until it is known, nothing is allowed.
 */
export function usePermissions() {
  const trpc = useTRPC();
  const current = useQuery(trpc.auth.organizations.current.queryOptions());
  const granted = current.data?.permissions ?? [];
  return {
    organization: current.data,
    can: (permission: Permission) => granted.includes(permission),
  };
}
