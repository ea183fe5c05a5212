/**
 * Choosing the groups a Google Workspace connection syncs, from the domain's groups as Google lists them
 * now. Chosen groups Google no longer has stay listed (checked) so they can be removed. Without a working
 * authorization the list cannot be read: Google's reason (the API's 409) is shown instead.
 */
import { useState } from 'react';
import { api } from '../../api.js';
import { plural } from '../../format.js';
import { Checkbox, TextField } from '../../ui/Field.js';
import { ErrorState, Loading } from '../../ui/States.js';
import { useApi } from '../../use-api.js';
import { googlePath, type GoogleGroupList } from './types.js';

/** Above this many groups a filter box helps find one. */
const FILTER_FROM = 8;

export function GroupPicker({ connectionId, chosen, onChange, disabled }: { connectionId: string; chosen: string[]; onChange: (groups: string[]) => void; disabled: boolean }) {
  const groups = useApi(() => api.get<GoogleGroupList>(googlePath(connectionId, '/groups')), [connectionId]);
  const [filter, setFilter] = useState('');
  const chosenSet = new Set(chosen.map((g) => g.toLowerCase()));
  const toggle = (email: string, on: boolean) => onChange(on ? [...chosen, email] : chosen.filter((g) => g.toLowerCase() !== email.toLowerCase()));

  if (groups.error) {
    return (
      <>
        <ErrorState error={groups.error} retry={groups.reload} title="The groups could not be read from Google" />
        {chosen.length > 0 ? <p className="hint">Chosen now: {chosen.join(', ')}</p> : null}
      </>
    );
  }
  if (!groups.data) return <Loading label="Reading the groups from Google…" />;
  const known = new Set(groups.data.items.map((g) => g.email.toLowerCase()));
  const missing = chosen.filter((g) => !known.has(g.toLowerCase()));
  const needle = filter.trim().toLowerCase();
  const shown = groups.data.items.filter((g) => !needle || g.name.toLowerCase().includes(needle) || g.email.toLowerCase().includes(needle));

  return (
    <div className="google-groups">
      {groups.data.items.length >= FILTER_FROM ? (
        <TextField label="Find a group" type="search" value={filter} autoComplete="off" onChange={(e) => setFilter(e.target.value)} />
      ) : null}
      <div role="group" aria-label="Groups to sync" className="google-group-list">
        {groups.data.items.length === 0 ? <p className="muted">The domain has no groups.</p> : null}
        {shown.map((group) => (
          <Checkbox
            key={group.id || group.email}
            label={group.name}
            description={`${group.email} · ${plural(group.directMembersCount, 'direct member')}`}
            checked={chosenSet.has(group.email.toLowerCase())}
            disabled={disabled}
            onChange={(on) => toggle(group.email, on)}
          />
        ))}
        {missing.map((email) => (
          <Checkbox key={email} label={email} description="Google does not have this group any more." checked disabled={disabled} onChange={(on) => toggle(email, on)} />
        ))}
      </div>
      <p className="hint" role="status">
        {plural(chosen.length, 'group')} chosen
      </p>
    </div>
  );
}
