import { Skeleton } from "~/components/skeleton";
import { BoardHeading, BoardSkeleton } from "./board-layout";

export default function Loading() {
  return (
    <div className="px-4 py-6 sm:px-6 sm:py-8">
      <BoardHeading actions={<Skeleton className="h-10 w-32 rounded-lg" />} />
      <div className="mt-6 h-10">
        <Skeleton className="h-10 w-56 rounded-lg" />
      </div>
      <BoardSkeleton />
    </div>
  );
}
