/**
 * A fresh database for an in-process benchmark: a SQLite file in a temporary folder, or with
 * `kind` postgres a database created on BENCH_DATABASE_URL's server (default
 * postgres://postgres@127.0.0.1:5432/test) and dropped by `drop`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export async function freshDatabase(kind: string, label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kind !== 'postgres') {
    const dir = mkdtempSync(join(tmpdir(), `rollcall-bench-${label}-`));
    return { url: `sqlite:${join(dir, 'rollcall.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `rollcall_bench_${label}_${process.pid}`;
  const admin = async (text: string) => {
    const client = new pg.Client(server);
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
