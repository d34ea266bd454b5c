import { focusRing } from "~/components/button";

/**
 * The toolbar buttons' looks, shared by the menus themselves and by the plain buttons that stand
 * in for them until their code has loaded, so nothing moves or changes when they swap.
 */
export const toolbarButtonClass = `inline-flex h-9 shrink-0 items-center gap-1.5 rounded-lg border border-slate-300 bg-white px-3 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 ${focusRing}`;

export function ViewLabel({ name, edited }: { name: string; edited: boolean }) {
  return (
    <>
      <span className="sr-only">View: </span>
      <span className="max-w-48 truncate">{name}</span>
      {edited ? <span className="text-xs font-normal text-amber-700">(edited)</span> : null}
      <svg className="size-4 shrink-0 text-slate-400" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
        <path
          fillRule="evenodd"
          d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z"
          clipRule="evenodd"
        />
      </svg>
    </>
  );
}

export function FiltersLabel({ count }: { count: number }) {
  return (
    <>
      <svg className="size-4 text-slate-500" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
        <path
          fillRule="evenodd"
          d="M2.63 3.41A1 1 0 0 1 3.5 3h13a1 1 0 0 1 .78 1.63L12 11.06V16a1 1 0 0 1-.55.9l-2 1A1 1 0 0 1 8 17v-5.94L2.72 4.63a1 1 0 0 1-.09-1.22Z"
          clipRule="evenodd"
        />
      </svg>
      Filters
      {count > 0 ? (
        <span className="rounded-full bg-indigo-600 px-1.5 text-xs leading-5 text-white">
          {count}
          <span className="sr-only"> active</span>
        </span>
      ) : null}
    </>
  );
}

export function ColumnsLabel() {
  return (
    <>
      <svg className="size-4 text-slate-500" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
        <path d="M2 4.75A1.75 1.75 0 0 1 3.75 3h12.5c.97 0 1.75.78 1.75 1.75v10.5A1.75 1.75 0 0 1 16.25 17H3.75A1.75 1.75 0 0 1 2 15.25V4.75ZM3.5 4.75v10.5c0 .14.11.25.25.25H7v-11H3.75a.25.25 0 0 0-.25.25Zm5 10.75h3v-11h-3v11Zm4.5 0h3.25c.14 0 .25-.11.25-.25V4.75a.25.25 0 0 0-.25-.25H13v11Z" />
      </svg>
      Columns
    </>
  );
}

export function PlusIcon() {
  return (
    <svg className="-ml-0.5 size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
      <path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" />
    </svg>
  );
}
