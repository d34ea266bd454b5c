import { ListSkeleton } from "~/components/data-table/list-frame";

export default function Loading() {
  return <ListSkeleton title="Deals" label="Loading deals…" />;
}
