import type { Metadata } from "next";
import { PageHeader } from "@/components/kit/page-header";
import { getAdminOverview } from "@/lib/admin/overview";
import { getQueueHealth } from "@/lib/admin/queue-health";
import { requireAdmin } from "@/lib/auth/session";
import { durationBucketBoundsMs } from "@/lib/calls/ledger";
import { describeBuckets, formatUtc } from "./format";
import { QueueSection } from "./queue-section";
import { HeadlineStats, UsageCharts } from "./usage-overview";

export const metadata: Metadata = { title: "Admin overview" };
export const dynamic = "force-dynamic";

const bucketLabels = describeBuckets(durationBucketBoundsMs);

export default async function AdminOverviewPage() {
  // The layout lets only administrators through too; a page renders alongside it, so it checks.
  await requireAdmin();
  const now = new Date();
  const [overview, queue] = await Promise.all([getAdminOverview(now), getQueueHealth()]);
  return (
    <div className="space-y-10">
      <PageHeader
        title="Overview"
        description={
          <>
            Calls, errors, speed and active users across all accounts, and the queue that runs tool calls. As
            of <time dateTime={overview.generatedAt}>{formatUtc(overview.generatedAt)}</time>.
          </>
        }
      />
      <HeadlineStats overview={overview} labels={bucketLabels} />
      <UsageCharts overview={overview} labels={bucketLabels} />
      <QueueSection health={queue} now={now} />
    </div>
  );
}
