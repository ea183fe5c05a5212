/** Row type of job leases (migration 0006); src/jobs/exclusive.ts reaches it with `kysely.withTables<JobTables>()`. */

export interface JobLeasesTable {
  name: string;
  /** ISO time from which the next run may be claimed. */
  run_after: string;
  /** Which process claimed the current run, for troubleshooting. */
  holder: string | null;
  updated_at: string;
}

/** The tables of the jobs domain. */
export type JobTables = {
  job_leases: JobLeasesTable;
};
