/** /dashboard/accounts/:tenantId opens the account's Provisioning section. */
import { useEffect } from 'react';
import { navigate, seg } from '../../../shared/router.js';

export function AccountRedirect({ tenantId }: { tenantId: string }) {
  useEffect(() => navigate(`/dashboard/accounts/${seg(tenantId)}/provisioning`, { replace: true }), [tenantId]);
  return null;
}
