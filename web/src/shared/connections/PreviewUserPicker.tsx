/**
 * Which provisioned user the mapping preview reads: the one updated last unless another is chosen,
 * by a search over the connection's users where the caller can search them (the dashboard), else
 * by the user's user name or Rollcall ID (the portal, whose session cannot list users).
 */
import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api.js';
import { Button } from '../ui/Button.js';
import { TextField } from '../ui/Field.js';
import { SearchField } from '../ui/SearchField.js';
import type { PreviewUser } from './attribute-mapping-draft.js';

/** Finds users of the connection by text (user name, name, email). */
export type SearchUsers = (q: string) => Promise<PreviewUser[]>;

const nameOf = (user: PreviewUser) => (user.displayName && user.displayName !== user.userName ? `${user.displayName} (${user.userName})` : user.userName);

export function PreviewUserPicker({
  user,
  chosenId,
  loading,
  onChoose,
  searchUsers,
}: {
  /** The user the latest preview read; null when the connection has none; undefined before the first answer. */
  user: PreviewUser | null | undefined;
  chosenId: string | undefined;
  loading: boolean;
  onChoose: (userId: string | undefined) => void;
  searchUsers?: SearchUsers;
}) {
  return (
    <div className="preview-user">
      <p aria-live="polite">
        {user === undefined ? (
          loading ? 'Loading the preview…' : null
        ) : user === null ? (
          'This connection has not provisioned any users yet, so there is nobody to preview the values with. Path errors still show.'
        ) : (
          <>
            Values below are what these sources give for <strong>{nameOf(user)}</strong>
            {chosenId ? '' : ', the user updated last'}. Nothing is stored until you save.
          </>
        )}
      </p>
      <div className="preview-user-controls">
        {searchUsers ? <UserSearch searchUsers={searchUsers} onChoose={onChoose} /> : <UserIdField onChoose={onChoose} />}
        {chosenId ? (
          <Button variant="ghost" onClick={() => onChoose(undefined)}>
            Use the user updated last
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function UserSearch({ searchUsers, onChoose }: { searchUsers: SearchUsers; onChoose: (userId: string) => void }) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<PreviewUser[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const generation = useRef(0);
  const search = (q: string) => {
    const mine = ++generation.current;
    setText(q);
    setError(undefined);
    if (!q) return setFound(undefined);
    searchUsers(q).then(
      (users) => mine === generation.current && setFound(users),
      (e: unknown) => mine === generation.current && setError(e instanceof ApiError ? e.message : 'The users could not be searched.'),
    );
  };
  return (
    <div className="user-search">
      <SearchField label="Preview another user" placeholder="User name, name or email" value={text} onSearch={search} />
      {error ? <p className="field-error">{error}</p> : null}
      {found && found.length === 0 ? <p className="hint">No user of this connection matches “{text}”.</p> : null}
      {found && found.length > 0 ? (
        <ul className="user-search-results" aria-label="Users found">
          {found.map((u) => (
            <li key={u.id}>
              <Button
                variant="ghost"
                onClick={() => {
                  generation.current++;
                  setFound(undefined);
                  onChoose(u.id);
                }}
              >
                Preview {nameOf(u)}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function UserIdField({ onChoose }: { onChoose: (userId: string) => void }) {
  const [id, setId] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (id.trim()) onChoose(id.trim());
  };
  return (
    <form className="user-id-form" onSubmit={submit}>
      <TextField label="Preview another user" hint="The user's user name or Rollcall ID" value={id} maxLength={256} autoComplete="off" spellCheck={false} onChange={(e) => setId(e.target.value)} />
      <Button type="submit" disabled={!id.trim()}>
        Preview
      </Button>
    </form>
  );
}
