// Test files that change which plan is the default (the admin plans tests) hold this PostgreSQL
// session lock while they do, and tests that depend on the default plan take it too, so that
// files running side by side on the run's database never see it flipped mid-test.
import pg from "pg";

const defaultPlanTestLock = 7_209_901;

export async function withDefaultPlanLock<T>(work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [defaultPlanTestLock]);
    return await work();
  } finally {
    await client.end(); // ends the session, which releases the lock
  }
}
