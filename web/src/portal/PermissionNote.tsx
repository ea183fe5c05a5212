/**
 * What a portal admin cannot do, said once above the list instead of buttons that silently are not
 * there: which permission, in plain words, the admin who can do it holds.
 */

/** The provisioning permissions as a customer's admin reads them (the keys are in src/roles/permissions.ts). */
export const PERMISSION_NAMES = {
  write: '“Create provisioning connections”',
  delete: '“Delete provisioning connections”',
} as const;

/** The note for what the session lacks, or undefined when it may do everything. */
export function missingPermissionNote(canWrite: boolean, canDelete: boolean): string | undefined {
  if (!canWrite && !canDelete) {
    return `You can view these connections. Ask an admin with the ${PERMISSION_NAMES.write} and ${PERMISSION_NAMES.delete} permissions to add or remove connections, or to replace a token.`;
  }
  if (!canWrite) return `Ask an admin with the ${PERMISSION_NAMES.write} permission to add connections or replace a token.`;
  if (!canDelete) return `Ask an admin with the ${PERMISSION_NAMES.delete} permission to remove connections.`;
  return undefined;
}

export function PermissionNote({ canWrite, canDelete }: { canWrite: boolean; canDelete: boolean }) {
  const note = missingPermissionNote(canWrite, canDelete);
  return note ? (
    <p className="callout callout-info" role="note">
      {note}
    </p>
  ) : null;
}
