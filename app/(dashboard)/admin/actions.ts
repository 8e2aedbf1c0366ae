"use server";
// The admin overview's mutations: retrying and discarding failed jobs of the tool-calls queue.
// Each runs through runAdminAction (administrators only), and the lib functions record the audit
// event with the administrator as actor.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  discardAllFailedJobs,
  discardFailedJob,
  retryAllFailedJobs,
  retryFailedJob,
} from "@/lib/admin/queue-health";
import { type ActionResult, runAdminAction } from "@/lib/web/server-action";

const jobIdSchema = z.string().trim().min(1, "Choose a job.").max(200);

async function settle<T>(result: Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  const settled = await result;
  // Even a failure (the job was already gone) means the page is out of date.
  revalidatePath("/admin");
  return settled;
}

export async function retryFailedJobAction(jobId: string): Promise<ActionResult> {
  return settle(
    runAdminAction("admin.queue.retry", async ({ audit }) => {
      await retryFailedJob(jobIdSchema.parse(jobId), audit);
      return undefined;
    }),
  );
}

export async function discardFailedJobAction(jobId: string): Promise<ActionResult> {
  return settle(
    runAdminAction("admin.queue.discard", async ({ audit }) => {
      await discardFailedJob(jobIdSchema.parse(jobId), audit);
      return undefined;
    }),
  );
}

export async function retryAllFailedJobsAction(): Promise<ActionResult<{ count: number }>> {
  return settle(
    runAdminAction("admin.queue.retry-all", async ({ audit }) => ({
      count: await retryAllFailedJobs(audit),
    })),
  );
}

export async function discardAllFailedJobsAction(): Promise<ActionResult<{ count: number }>> {
  return settle(
    runAdminAction("admin.queue.discard-all", async ({ audit }) => ({
      count: await discardAllFailedJobs(audit),
    })),
  );
}
