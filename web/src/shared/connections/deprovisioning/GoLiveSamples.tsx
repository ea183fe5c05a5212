/** The samples of a go-live preview: some users, groups and roles it publishes, and the existing users they match. */
import type { ReactNode } from 'react';
import { plural } from '../../format.js';
import { Link } from '../../router.js';
import type { GoLivePreview } from './types.js';

interface Column<Row> {
  header: string;
  /** A number: right-aligned. */
  num?: boolean;
  cell: (row: Row) => ReactNode;
}

interface SampleProps<Row> {
  title: string;
  /** The sample's rows, the first of `total`. */
  rows: readonly Row[];
  total: number;
  noun: string;
  /** The table's name for screen readers. */
  caption: string;
  columns: Column<Row>[];
  rowKey: (row: Row) => string;
  /** A hint above the table. */
  note?: ReactNode;
}

/** One sample as a titled table, saying when it shows only the first rows; nothing when there are none. */
function Sample<Row>({ title, rows, total, noun, caption, columns, rowKey, note }: SampleProps<Row>) {
  if (total === 0) return null;
  const num = (column: Column<Row>) => (column.num ? 'num' : undefined);
  return (
    <section className="go-live-section" aria-label={title}>
      <h3>{title}</h3>
      {rows.length < total ? <p className="hint">The first {rows.length} of {plural(total, noun)}.</p> : null}
      <div className="table-wrap">
        {note ? <p className="hint">{note}</p> : null}
        <table>
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.header} scope="col" className={num(column)}>
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.header} className={num(column)}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The text, or a muted dash where there is none. */
const orDash = (text: string | null) => text ?? <span className="muted">—</span>;

/** A row of one of the preview's samples. */
type SampleRow<Part extends 'users' | 'groups' | 'matches'> = GoLivePreview[Part]['sample'][number];

const USER_COLUMNS: Column<SampleRow<'users'>>[] = [
  { header: 'User name', cell: (user) => user.userName },
  { header: 'Name', cell: (user) => orDash(user.displayName) },
  { header: 'Email', cell: (user) => orDash(user.email) },
  { header: 'Status', cell: (user) => (user.active ? 'Active' : 'Inactive') },
];

const GROUP_COLUMNS: Column<SampleRow<'groups'>>[] = [
  { header: 'Group', cell: (group) => group.displayName },
  { header: 'Members', num: true, cell: (group) => group.members.toLocaleString() },
];

const ROLE_COLUMNS: Column<GoLivePreview['roles'][number]>[] = [
  {
    header: 'Role',
    cell: (role) => (
      <>
        {role.name} <code className="muted">{role.key}</code>
      </>
    ),
  },
  { header: 'Users', num: true, cell: (role) => role.users.toLocaleString() },
];

/** The existing user as a link to its page where there is one, else its ID. */
const matchColumns = (userHref: ((userId: string) => string) | undefined): Column<SampleRow<'matches'>>[] => [
  { header: 'User name', cell: (match) => match.userName },
  { header: 'Email', cell: (match) => orDash(match.email) },
  {
    header: 'Matches existing user',
    cell: (match) =>
      userHref ? (
        <Link to={userHref(match.existingUserId)} aria-label={`Existing user matching ${match.userName}`}>
          <code>{match.existingUserId}</code>
        </Link>
      ) : (
        <code>{match.existingUserId}</code>
      ),
  },
  { header: 'By', cell: (match) => match.matchedBy },
];

const MATCH_NOTE = 'Users of this account the product already has with the same email: check they are the same people before going live.';

/** `userHref`: where an existing user's page is (the dashboard's directory); without it, its ID as text. */
export function GoLiveSamples({ preview, userHref }: { preview: GoLivePreview; userHref?: (userId: string) => string }) {
  const { users, groups, roles, matches } = preview;
  return (
    <>
      <Sample title="Users" caption="Users that go live" noun="user" rows={users.sample} total={users.total} rowKey={(user) => user.id} columns={USER_COLUMNS} />
      <Sample title="Groups" caption="Groups that go live" noun="group" rows={groups.sample} total={groups.total} rowKey={(group) => group.id} columns={GROUP_COLUMNS} />
      <Sample title="Roles" caption="Roles the groups grant" noun="role" rows={roles} total={roles.length} rowKey={(role) => role.key} columns={ROLE_COLUMNS} />
      <Sample
        title="Existing users they match"
        caption="Existing users matched"
        noun="match"
        note={MATCH_NOTE}
        rows={matches.sample}
        total={matches.total}
        rowKey={(match) => match.userId}
        columns={matchColumns(userHref)}
      />
    </>
  );
}
