/** The "Sync to user management" switch of a connection: optimistic, reverted (with the reason) when the PATCH fails. */
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../../shared/api.js';
import { CONFIGURATIONS_PATH } from '../../../shared/connections/CreateConnectionDialog.js';
import { seg } from '../../../shared/router.js';
import type { Connection } from '../../../shared/types.js';
import { Toggle } from '../../../shared/ui/Field.js';
import { FormError } from '../../../shared/ui/States.js';

export function SyncToggle({ connection, onChanged }: { connection: Connection; onChanged?: (value: boolean) => void }) {
  const [value, setValue] = useState(connection.syncToUserManagement);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  // A reload of the list is the truth again.
  useEffect(() => setValue(connection.syncToUserManagement), [connection.syncToUserManagement]);

  const change = async (next: boolean) => {
    setValue(next);
    setBusy(true);
    setError(undefined);
    try {
      await api.patch(`${CONFIGURATIONS_PATH}/${seg(connection.id)}`, { syncToUserManagement: next });
      onChanged?.(next);
    } catch (e) {
      setValue(!next);
      setError(e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Toggle
        label="Sync to user management"
        checked={value}
        disabled={busy}
        onChange={change}
        description="On: the users and groups this connection provisions also become users of the product. Off: they stay SCIM directory entries only."
      />
      <FormError error={error && new ApiError(error.status, `The change was not saved: ${error.message}`)} />
    </>
  );
}
