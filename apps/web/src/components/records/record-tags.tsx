"use client";

import { useState } from "react";
import { TagChip, TagPicker } from "~/components/tag-picker";

interface RecordTagsProps {
  tags: { id: string; name: string; color: string | null }[];
  /** Saves the new set; the picker shows it until the save settles. */
  onChange: (tagIds: string[]) => Promise<unknown>;
  readOnly: boolean;
}

/** A record's tags as chips; the chips open the picker, so what is seen is what is announced. */
export function RecordTags({ tags, onChange, readOnly }: RecordTagsProps) {
  // A tick shows at once, before the record's cached copy is patched.
  const [saving, setSaving] = useState<string[] | null>(null);
  if (readOnly) {
    if (tags.length === 0) return null;
    return (
      <ul aria-label="Tags" className="flex flex-wrap gap-1 pl-1.5">
        {tags.map((tag) => (
          <li key={tag.id}>
            <TagChip name={tag.name} color={tag.color} />
          </li>
        ))}
      </ul>
    );
  }
  return (
    <TagPicker
      value={saving ?? tags.map((tag) => tag.id)}
      onChange={(tagIds) => {
        setSaving(tagIds);
        void onChange(tagIds).finally(() => setSaving(null));
      }}
      trigger={
        tags.length > 0 ? (
          <>
            {tags.map((tag) => (
              <TagChip key={tag.id} name={tag.name} color={tag.color} />
            ))}
            <span className="sr-only">Edit tags</span>
          </>
        ) : (
          <span className="text-slate-500">Add tags</span>
        )
      }
    />
  );
}
