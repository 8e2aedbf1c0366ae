"use client";
// The overview's charts (recharts draws in the browser only). Each chart sits in a figure whose
// caption and table (chart-figure.tsx) say the same in text; the charts stay keyboard-explorable
// through recharts' accessibility layer (arrow keys move the tooltip).
import type { ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import type { AdminOverview } from "@/lib/admin/overview";
import { type BucketLabels, formatDay, formatDayLong, formatHour, formatPercent } from "./format";

export const seriesColors = { success: "#16a34a", error: "#dc2626", refused: "#d97706", line: "#6366f1" };

const tick = { fill: "currentColor", fontSize: 12 };
const grid = { stroke: "currentColor", strokeOpacity: 0.15 };
const chartStyle = { width: "100%", height: 260 };

type TooltipRow = { name: string; value: string; color?: string };

function TooltipBox({ title, rows }: { title: string; rows: TooltipRow[] }) {
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs text-zinc-900 shadow-md dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
      <p className="font-semibold">{title}</p>
      <ul className="mt-1 space-y-0.5">
        {rows.map((row) => (
          <li key={row.name} className="flex items-center gap-2">
            {row.color && (
              <span
                aria-hidden="true"
                className="size-2 rounded-full"
                style={{ backgroundColor: row.color }}
              />
            )}
            <span>{row.name}:</span>
            <span className="font-medium tabular-nums">{row.value}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function tooltipFor(
  title: (label: string) => string,
  format: (name: string, value: number | null) => string,
): (props: TooltipContentProps) => ReactNode {
  return ({ active, payload, label }) => {
    if (!active || !payload?.length) return null;
    return (
      <TooltipBox
        title={title(String(label))}
        rows={payload.map((entry) => ({
          name: String(entry.name),
          value: format(String(entry.name), (entry.value as number | null | undefined) ?? null),
          color: entry.color,
        }))}
      />
    );
  };
}

/** Midnights (UTC) among the hours: the x-axis ticks of the hourly charts. */
function dayTicks(hours: AdminOverview["hours"]): string[] {
  return hours.filter((point) => point.hour.endsWith("T00:00:00.000Z")).map((point) => point.hour);
}

function HourAxis({ hours }: { hours: AdminOverview["hours"] }) {
  return (
    <XAxis dataKey="hour" ticks={dayTicks(hours)} tickFormatter={formatDay} tick={tick} minTickGap={8} />
  );
}

export function CallsPerHourChart({ hours }: { hours: AdminOverview["hours"] }) {
  return (
    <BarChart data={hours} style={chartStyle} responsive barCategoryGap={0} margin={{ left: 0, right: 8 }}>
      <CartesianGrid vertical={false} {...grid} />
      {HourAxis({ hours })}
      <YAxis allowDecimals={false} tick={tick} width={48} />
      <Tooltip
        content={tooltipFor(formatHour, (_name, value) => (value ?? 0).toLocaleString("en"))}
        cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
      />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      <Bar
        dataKey="success"
        name="Succeeded"
        stackId="calls"
        fill={seriesColors.success}
        isAnimationActive={false}
      />
      <Bar
        dataKey="error"
        name="Failed"
        stackId="calls"
        fill={seriesColors.error}
        isAnimationActive={false}
      />
      <Bar
        dataKey="refused"
        name="Refused"
        stackId="calls"
        fill={seriesColors.refused}
        isAnimationActive={false}
      />
    </BarChart>
  );
}

export function ErrorRateChart({ hours }: { hours: AdminOverview["hours"] }) {
  return (
    <LineChart data={hours} style={chartStyle} responsive margin={{ top: 10, left: 0, right: 8 }}>
      <CartesianGrid vertical={false} {...grid} />
      {HourAxis({ hours })}
      <YAxis domain={[0, 1]} tickFormatter={(value: number) => formatPercent(value)} tick={tick} width={48} />
      <Tooltip
        content={tooltipFor(formatHour, (_name, value) =>
          value === null ? "no calls ran" : formatPercent(value),
        )}
      />
      <Line
        dataKey="errorRate"
        name="Error rate"
        type="linear"
        stroke={seriesColors.error}
        strokeWidth={2}
        // Hours in which nothing ran have no value: a lone hour between them shows as a dot.
        dot={{ r: 2.5, fill: seriesColors.error, strokeWidth: 0 }}
        connectNulls={false}
        isAnimationActive={false}
      />
    </LineChart>
  );
}

export function P95Chart({ hours, labels }: { hours: AdminOverview["hours"]; labels: BucketLabels }) {
  const { ticks, phrases } = labels;
  return (
    <LineChart data={hours} style={chartStyle} responsive margin={{ top: 10, left: 0, right: 8 }}>
      <CartesianGrid vertical={false} {...grid} />
      {HourAxis({ hours })}
      <YAxis
        domain={[0, ticks.length - 1]}
        ticks={ticks.map((_, index) => index)}
        tickFormatter={(value: number) => ticks[value] ?? ""}
        tick={{ ...tick, fontSize: 11 }}
        width={84}
        interval={0}
      />
      <Tooltip
        content={tooltipFor(formatHour, (_name, value) =>
          value === null ? "no calls ran" : (phrases[value] ?? ""),
        )}
      />
      <Line
        dataKey="p95Bucket"
        name="p95 duration"
        type="stepAfter"
        stroke={seriesColors.line}
        strokeWidth={2}
        dot={{ r: 2.5, fill: seriesColors.line, strokeWidth: 0 }}
        connectNulls={false}
        isAnimationActive={false}
      />
    </LineChart>
  );
}

export function ActiveUsersChart({ days }: { days: AdminOverview["days"] }) {
  return (
    <BarChart data={days} style={chartStyle} responsive margin={{ left: 0, right: 8 }}>
      <CartesianGrid vertical={false} {...grid} />
      <XAxis dataKey="day" tickFormatter={formatDay} tick={tick} />
      <YAxis allowDecimals={false} tick={tick} width={48} />
      <Tooltip
        content={tooltipFor(formatDayLong, (_name, value) => (value ?? 0).toLocaleString("en"))}
        cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
      />
      <Bar dataKey="activeUsers" name="Active users" fill={seriesColors.line} isAnimationActive={false} />
    </BarChart>
  );
}
