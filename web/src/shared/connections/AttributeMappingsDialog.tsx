/**
 * A connection's attribute mappings (docs/attributes.md): where each user attribute the vendor turned
 * on comes from in this connection's SCIM users, with a live preview against a provisioned user.
 * Shared by the dashboard and the portal; without the write permission the mappings are shown and
 * previewed, not changed.
 */
import { api } from '../api.js';
import { Link, seg } from '../router.js';
import type { Connection } from '../types.js';
import { Dialog } from '../ui/Dialog.js';
import { EmptyState, ErrorState, Loading } from '../ui/States.js';
import { useApi } from '../use-api.js';
import type { AttributeMappings } from './attribute-mapping-draft.js';
import { MappingEditor } from './MappingEditor.js';
import type { SearchUsers } from './PreviewUserPicker.js';
import './attribute-mappings.css';

interface Props {
  connection: Connection | undefined;
  canEdit: boolean;
  /** Where the dialog is: the dashboard links to its Attributes page, the portal says the vendor decides. */
  context: 'dashboard' | 'portal';
  readOnlyNote?: string;
  productName?: string;
  /** Searches the connection's users for the preview; without it the preview takes a user ID. */
  searchUsers?: (connectionId: string, q: string) => ReturnType<SearchUsers>;
  onClose: () => void;
}

export function AttributeMappingsDialog(props: Props) {
  return props.connection ? <MappingsContent key={props.connection.id} {...props} connection={props.connection} /> : null;
}

function MappingsContent({ connection, canEdit, context, readOnlyNote, productName, searchUsers, onClose }: Props & { connection: Connection }) {
  const url = `/api/v1/connections/${seg(connection.id)}/attribute-mappings`;
  const loaded = useApi(() => api.get<AttributeMappings>(url), [url]);
  const product = productName ?? 'The application';
  let body;
  if (loaded.error) body = <ErrorState error={loaded.error} retry={loaded.reload} title="The mappings could not be loaded" />;
  else if (!loaded.data) body = <Loading label="Loading the mappings…" />;
  else if (loaded.data.attributes.length === 0)
    body =
      context === 'dashboard' ? (
        <EmptyState title="No user attributes are on" action={<Link to="/dashboard/attributes">Open the Attributes page</Link>}>
          Turn on predefined attributes or define custom ones on the Attributes page; each connection then maps them here.
        </EmptyState>
      ) : (
        <EmptyState title="No user attributes to map yet">
          {product} decides which user attributes it reads, and has not turned any on. Once it does, you choose here which attributes of your identity provider fill them.
        </EmptyState>
      );
  else
    body = (
      <MappingEditor
        url={url}
        problemsUrl={`/api/v1/connections/${seg(connection.id)}/attribute-problems`}
        initial={loaded.data}
        canEdit={canEdit}
        readOnlyNote={readOnlyNote}
        searchUsers={searchUsers && ((q) => searchUsers(connection.id, q))}
        onClose={onClose}
      />
    );
  return (
    <Dialog title={`Attribute mappings of ${connection.connectionName}`} open wide className="dialog-mappings" onClose={onClose}>
      <p>
        Each attribute reads one value from the users this connection&apos;s identity provider sends: a SCIM attribute path such as <code>title</code>,{' '}
        <code>emails[type eq &quot;work&quot;].value</code> or an extension&apos;s <code>urn:…:department</code>. A path left as it is follows the provider&apos;s default.
      </p>
      {body}
    </Dialog>
  );
}
