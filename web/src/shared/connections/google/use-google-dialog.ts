/**
 * Which connection's Google Workspace dialog a list page shows. The page opens it from a row, or the
 * address names it: after Google's consent (with how it went) or from a link (Monitoring). The address
 * is read once and cleaned; the dialog opens once the page's list has that connection.
 */
import { useEffect, useState } from 'react';
import type { Connection } from '../../types.js';
import { clearConsentReturn, readConsentReturn, type ConsentReturn } from './consent-return.js';

export interface GoogleDialogState {
  /** The connection whose dialog is open. */
  connection: Connection | undefined;
  /** How the consent ended, shown in the dialog it returned to. */
  consent: ConsentReturn['outcome'];
  /** A consent outcome for a connection the list does not have (deleted meanwhile): the page says it. */
  orphanOutcome: ConsentReturn['outcome'];
  open: (connection: Connection) => void;
  close: () => void;
}

export function useGoogleDialog(connections: readonly Connection[] | undefined): GoogleDialogState {
  const [pending, setPending] = useState(() => readConsentReturn());
  const [shown, setShown] = useState<{ connection: Connection; consent?: ConsentReturn['outcome'] } | undefined>();
  const [orphanOutcome, setOrphanOutcome] = useState<ConsentReturn['outcome']>();

  useEffect(() => {
    if (pending) clearConsentReturn();
    // Once, on arrival: the address's values are in `pending` now.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (!pending || !connections) return;
    const connection = pending.connectionId ? connections.find((c) => c.id === pending.connectionId) : undefined;
    if (connection) setShown({ connection, consent: pending.outcome });
    else setOrphanOutcome(pending.outcome);
    setPending(undefined);
  }, [pending, connections]);

  return {
    connection: shown?.connection,
    consent: shown?.consent,
    orphanOutcome,
    open: (connection) => {
      setOrphanOutcome(undefined);
      setShown({ connection });
    },
    close: () => setShown(undefined),
  };
}
