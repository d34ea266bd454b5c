"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "~/trpc/react";
import { type RecordType, timelineQuery } from "./queries";

/** The people of the organization by id, and which one is the reader. */
export function useMembers() {
  const trpc = useTRPC();
  const members = useQuery(trpc.auth.members.list.queryOptions());
  return useMemo(() => {
    const byId = new Map((members.data ?? []).map((m) => [m.userId, m]));
    const me = members.data?.find((m) => m.isYou)?.userId ?? null;
    const name = (userId: string | null) => {
      if (!userId) return "Someone";
      const member = byId.get(userId);
      return member ? member.name : "A former member";
    };
    return { byId, me, name };
  }, [members.data]);
}

/** Refetches what shows activities: this timeline, the tasks lists, a contact's last activity. */
export function useRefreshActivities(entityType: RecordType, entityId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: timelineQuery(trpc, entityType, entityId).queryKey }),
      queryClient.invalidateQueries({ queryKey: trpc.crm.activities.tasks.pathKey() }),
      entityType === "contact"
        ? queryClient.invalidateQueries({ queryKey: trpc.crm.contacts.get.queryKey({ id: entityId }) })
        : null,
    ]);
}
