const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in the URL (owner, tag, stage…) are UUIDs; anything else is ignored rather than sent. */
export const isUuid = (value: string) => UUID.test(value);
