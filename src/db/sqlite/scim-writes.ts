/**
 * SQLite's SCIM unit of work. One process writes the file at a time, and a commit — writing every
 * page the transaction touched to the WAL — costs more than the rest of a SCIM create: so
 * concurrent units run one after another in one transaction and commit together (group-commit.ts).
 * A query costs no round trip here, so every kind of change goes the general way.
 */
import type { Kysely } from 'kysely';
import type { Db } from '../open.js';
import type { Database } from '../tables.js';
import type { ConnectionScope } from '../../scim/store/scope.js';
import { UnitOfWork, type WriteNotes } from '../../scim/service/unit-of-work.js';
import { GroupCommit } from './group-commit.js';

export class SqliteScimWrites extends UnitOfWork {
  /** Concurrent units share one commit. */
  private readonly commits: GroupCommit;

  constructor(db: Db, notes: WriteNotes) {
    super(db, notes);
    this.commits = new GroupCommit(db.kysely);
  }

  protected placeholder(): string {
    return '?';
  }

  /** One write of a shared commit, settled once that commit is done: nothing more to flush at a request's end. */
  protected transaction<T>(_scope: ConnectionScope, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.commits.run(fn);
  }
}
