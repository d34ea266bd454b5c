import { RecordSkeleton } from "~/components/records/layout";

export default function Loading() {
  return <RecordSkeleton fields={6} />;
}
