/**
 * Looking a name up in `/etc/passwd` or `/etc/group` text (`name:x:id:…`
 * lines): the numeric id in the third field, or undefined when the name is
 * not there or its id is not a plain number.
 */
export function idFromDatabase(text: string, name: string): number | undefined {
  if (!name) return undefined;
  for (const line of text.split("\n")) {
    const fields = line.split(":");
    if (fields[0] !== name || fields.length < 3) continue;
    const id = fields[2] as string;
    return /^\d+$/.test(id) ? Number(id) : undefined;
  }
  return undefined;
}
