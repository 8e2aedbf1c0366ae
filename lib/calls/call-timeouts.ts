// How long a call may take: its action's own timeout on the worker, and the wait of whoever
// admitted it (that timeout plus room for the queue). The sweeper of lost calls counts from these.
import type { ActionDefinition } from "@/integrations/sdk/define";

export const defaultActionTimeoutMs = 30_000;

/** An added app's actions run on someone else's server, whose slow tools the platform cannot know. */
export const addedActionTimeoutMs = 60_000;

/** The room for queueing that the admitting side gives a job on top of its action's timeout. */
export const queueRoomMs = 15_000;

export function actionTimeoutMs(action: ActionDefinition): number {
  return action.timeoutMs ?? defaultActionTimeoutMs;
}

/** How long the admitting side waits for the job: the action's timeout plus room for queueing. */
export function callWaitMs(action: ActionDefinition): number {
  return actionTimeoutMs(action) + queueRoomMs;
}
