"use client";
// Calls per hour over the last 48 hours and per day over the last 30 days (UTC), as stacked bars:
// successful calls (the ones that count), failed and refused. Each chart has its numbers as a
// table too, for screen readers and for reading exact values.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsagePoint } from "@/lib/admin/user-admin";

const series = [
  { key: "success", name: "Successful", color: "#4f46e5" },
  { key: "error", name: "Failed", color: "#dc2626" },
  { key: "refused", name: "Refused", color: "#d97706" },
] as const;

const pad = (value: number) => String(value).padStart(2, "0");
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const hourLabel = (iso: string) => `${pad(new Date(iso).getUTCHours())}:00`;
const dayLabel = (iso: string) => `${months[new Date(iso).getUTCMonth()]} ${new Date(iso).getUTCDate()}`;
const hourTitle = (iso: string) => `${dayLabel(iso)}, ${hourLabel(iso)} UTC`;

function UsageChart({
  id,
  title,
  points,
  tickLabel,
  rowLabel,
}: {
  id: string;
  title: string;
  points: UsagePoint[];
  tickLabel: (iso: string) => string;
  rowLabel: (iso: string) => string;
}) {
  const totals = series.map((item) => points.reduce((sum, point) => sum + point[item.key], 0));
  const summary = `${title}: ${series.map((item, index) => `${totals[index]} ${item.name.toLowerCase()}`).join(", ")}.`;
  const active = points.filter((point) => point.success + point.error + point.refused > 0);
  return (
    <figure aria-labelledby={`${id}-title`} className="space-y-2" data-testid={id}>
      <figcaption id={`${id}-title`} className="text-sm font-medium">
        {title}
      </figcaption>
      <div className="h-56 text-zinc-600 dark:text-zinc-400" role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
            <XAxis
              dataKey="at"
              tickFormatter={tickLabel}
              tick={{ fill: "currentColor", fontSize: 11 }}
              stroke="currentColor"
              minTickGap={16}
            />
            <YAxis
              allowDecimals={false}
              tick={{ fill: "currentColor", fontSize: 11 }}
              stroke="currentColor"
            />
            <Tooltip
              labelFormatter={(label) => rowLabel(String(label))}
              contentStyle={{ background: "#fff", color: "#18181b", borderRadius: 8 }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {series.map((item) => (
              <Bar key={item.key} dataKey={item.key} name={item.name} stackId="calls" fill={item.color} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Show as a table</summary>
        {active.length === 0 ? (
          <p className="mt-2 text-zinc-600 dark:text-zinc-400">No calls in this period.</p>
        ) : (
          <table className="mt-2 w-full max-w-md text-left tabular-nums">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">
                  When (UTC)
                </th>
                {series.map((item) => (
                  <th key={item.key} scope="col" className="py-1 pr-3 font-medium">
                    {item.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {active.map((point) => (
                <tr key={point.at}>
                  <th scope="row" className="py-0.5 pr-3 font-normal">
                    {rowLabel(point.at)}
                  </th>
                  {series.map((item) => (
                    <td key={item.key} className="py-0.5 pr-3">
                      {point[item.key]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </figure>
  );
}

export function UsageCharts({ hourly, daily }: { hourly: UsagePoint[]; daily: UsagePoint[] }) {
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <UsageChart
        id="chart-hourly"
        title="Calls per hour, last 48 hours"
        points={hourly}
        tickLabel={hourLabel}
        rowLabel={hourTitle}
      />
      <UsageChart
        id="chart-daily"
        title="Calls per day, last 30 days"
        points={daily}
        tickLabel={dayLabel}
        rowLabel={dayLabel}
      />
    </div>
  );
}
